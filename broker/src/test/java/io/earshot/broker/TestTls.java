package io.earshot.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * TLS material for tests, made the way docs/security.md tells operators to: the JDK's keytool makes a
 * self-signed broker key (PKCS12) for localhost and 127.0.0.1, and a truststore holding its certificate.
 *
 * @param keystore           the broker's key and certificate
 * @param keystorePassword   its password (random)
 * @param truststore         the broker's certificate, for the broker itself and for clients
 * @param truststorePassword its password (random)
 */
public record TestTls(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {

    public static TestTls create(Path dir) {
        try {
            Files.createDirectories(dir);
            TestTls tls = new TestTls(dir.resolve("broker.p12"), "ks-" + UUID.randomUUID(), dir.resolve("truststore.p12"),
                    "ts-" + UUID.randomUUID());
            Path cert = dir.resolve("broker.crt");
            keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost,OU=earshot-test", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", tls.keystore.toString(),
                    "-storepass", tls.keystorePassword, "-keypass", tls.keystorePassword);
            keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", tls.keystore.toString(),
                    "-storepass", tls.keystorePassword, "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "earshot-broker", "-file", cert.toString(),
                    "-storetype", "PKCS12", "-keystore", tls.truststore.toString(), "-storepass", tls.truststorePassword);
            return tls;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make test TLS material in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The broker security with these stores, the given users and ACL rules. */
    public BrokerSecurity security(java.util.Map<String, String> users, List<AclRule> acls) {
        return new BrokerSecurity(keystore, keystorePassword, truststore, truststorePassword, users, acls);
    }

    /** Kafka client properties for a SCRAM user of a broker with this TLS material. */
    public java.util.Properties clientProperties(String bootstrap, String user, String password) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", truststorePassword);
        return p;
    }

    private static void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
