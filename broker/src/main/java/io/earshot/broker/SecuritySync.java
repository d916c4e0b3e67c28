package io.earshot.broker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a running broker's SCRAM users and ACLs equal to its {@link BrokerSecurity}: users and rules that are
 * given are created (passwords are set again), those that are not are deleted. Both live in the broker's
 * metadata log, so a restart without this would keep the last ones; the files are the one place to edit.
 */
final class SecuritySync {

    private static final Logger LOG = LoggerFactory.getLogger(SecuritySync.class);
    private static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;
    private static final int ITERATIONS = 8192;
    private static final long TIMEOUT_S = 30;

    private SecuritySync() {
    }

    static void apply(BrokerSecurity security, Properties adminProps) {
        try (Admin admin = Admin.create(adminProps)) {
            syncUsers(admin, security.scramUsers());
            syncAcls(admin, security.acls());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set the broker's users and ACLs: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the broker's users and ACLs", e);
        }
    }

    private static void syncUsers(Admin admin, Map<String, String> users)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, UserScramCredentialsDescription> existing = admin.describeUserScramCredentials()
                .all().get(TIMEOUT_S, TimeUnit.SECONDS);
        List<UserScramCredentialAlteration> changes = new ArrayList<>();
        users.forEach((name, password) -> changes.add(
                new UserScramCredentialUpsertion(name, new ScramCredentialInfo(MECHANISM, ITERATIONS), password)));
        List<String> removed = new ArrayList<>();
        for (UserScramCredentialsDescription d : existing.values()) {
            if (!users.containsKey(d.name())) {
                for (ScramCredentialInfo info : d.credentialInfos()) {
                    changes.add(new UserScramCredentialDeletion(d.name(), info.mechanism()));
                }
                removed.add(d.name());
            }
        }
        if (!changes.isEmpty()) {
            admin.alterUserScramCredentials(changes).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        LOG.info("SCRAM-SHA-512 users: {}{}", users.keySet(), removed.isEmpty() ? "" : " (removed " + removed + ")");
        if (users.isEmpty()) {
            LOG.warn("no SCRAM users are configured: no client can log in");
        }
    }

    private static void syncAcls(Admin admin, List<AclRule> rules)
            throws ExecutionException, TimeoutException, InterruptedException {
        Set<AclBinding> wanted = new HashSet<>();
        for (AclRule r : rules) {
            wanted.add(r.toBinding());
        }
        Collection<AclBinding> existing = admin.describeAcls(AclBindingFilter.ANY).values().get(TIMEOUT_S, TimeUnit.SECONDS);
        List<AclBindingFilter> stale = existing.stream().filter(b -> !wanted.contains(b)).map(AclBinding::toFilter).toList();
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        List<AclBinding> missing = wanted.stream().filter(b -> !existing.contains(b)).toList();
        if (!missing.isEmpty()) {
            admin.createAcls(missing).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        LOG.info("ACLs: {} rule(s) ({} added, {} removed)", wanted.size(), missing.size(), stale.size());
    }
}
