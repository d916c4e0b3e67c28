package io.earshot.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The security of an {@link EmbeddedKafkaBroker}: clients connect over SASL_SSL with SCRAM-SHA-512 users,
 * and every request is checked against ACLs (StandardAuthorizer, deny unless allowed).
 *
 * <p>The broker talks to itself (controller and inter-broker listeners, on loopback) over TLS with client
 * certificates: its own certificate, from {@code keystore}, is its identity there and its only super user.
 * So no password of the broker's own exists, and nothing reachable on the network is trusted blindly.
 *
 * @param keystore           the broker's key and certificate (PKCS12 or JKS); its subject names the super user
 * @param keystorePassword   password of the keystore and of its key
 * @param truststore         certificates the broker trusts (at least its own, or the CA that signed it)
 * @param truststorePassword password of the truststore
 * @param scramUsers         SCRAM-SHA-512 users and their passwords; the broker's user list is made equal to it
 * @param acls               the ACLs; the broker's ACLs are made equal to them
 */
public record BrokerSecurity(Path keystore, String keystorePassword, Path truststore, String truststorePassword,
                             Map<String, String> scramUsers, List<AclRule> acls) {

    public BrokerSecurity {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(truststorePassword, "truststorePassword");
        scramUsers = Collections.unmodifiableMap(new java.util.TreeMap<>(scramUsers));
        acls = List.copyOf(acls);
    }

    /** The Kafka principal of the broker's own certificate ({@code User:CN=...}), as Kafka's SSL principal builder names it. */
    public String brokerPrincipal() {
        if (!Files.isRegularFile(keystore)) {
            throw new IllegalArgumentException("keystore " + keystore + " does not exist or is not a file");
        }
        try {
            KeyStore ks = KeyStore.getInstance(keystore.toFile(), keystorePassword.toCharArray());
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias) && ks.getCertificate(alias) instanceof X509Certificate cert) {
                    return "User:" + cert.getSubjectX500Principal().getName();
                }
            }
            throw new IllegalArgumentException("keystore " + keystore + " holds no key with a certificate");
        } catch (IOException | GeneralSecurityException e) {
            // The usual cause is a wrong password ("keystore password was incorrect"); never print the password.
            throw new IllegalArgumentException("cannot read keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    /** SCRAM users from a properties file of {@code user=password} lines. */
    public static Map<String, String> loadUsers(Path file) {
        java.util.Properties props = new java.util.Properties();
        try (java.io.Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read SCRAM users file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> users = new java.util.TreeMap<>();
        for (String name : props.stringPropertyNames()) {
            String password = props.getProperty(name);
            if (password.isEmpty()) {
                throw new IllegalArgumentException("SCRAM users file " + file + ": user " + name + " has an empty password");
            }
            users.put(name, password);
        }
        return users;
    }

    /** A password file's first line, without the line end (what {@code echo secret > file} writes). */
    public static String readPasswordFile(Path file, String what) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new IllegalArgumentException(what + " file " + file + " is empty");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }
}
