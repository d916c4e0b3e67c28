package io.earshot.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One line of an ACL file: {@code PRINCIPAL OPERATION RESOURCE-TYPE NAME [literal|prefixed]}, e.g.
 * {@code User:detect READ topic earshot.audio} or {@code User:detect WRITE transactional-id earshot-detector prefixed}.
 * Every rule allows (the authorizer denies what no rule allows), from any host.
 */
public record AclRule(String principal, AclOperation operation, ResourceType resourceType, String name,
                      PatternType patternType) {

    public AclBinding toBinding() {
        return new AclBinding(new ResourcePattern(resourceType, name, patternType),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** The rules of an ACL file; {@code #} starts a comment, blank lines are skipped. */
    public static List<AclRule> load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read ACL file " + file + ": " + e.getMessage(), e);
        }
        List<AclRule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                rules.add(parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ACL file " + file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return rules;
    }

    public static AclRule parse(String line) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 4 || f.length > 5) {
            throw new IllegalArgumentException("expected 'PRINCIPAL OPERATION RESOURCE-TYPE NAME [literal|prefixed]', got '"
                    + line.strip() + "'");
        }
        if (!f[0].contains(":")) {
            throw new IllegalArgumentException("principal '" + f[0] + "' needs a type, e.g. User:" + f[0]);
        }
        AclOperation op = AclOperation.fromString(f[1].toUpperCase(Locale.ROOT).replace('-', '_'));
        if (op == AclOperation.UNKNOWN || op == AclOperation.ANY) {
            throw new IllegalArgumentException("unknown operation '" + f[1] + "'");
        }
        ResourceType type = ResourceType.fromString(f[2].toUpperCase(Locale.ROOT).replace('-', '_'));
        if (type == ResourceType.UNKNOWN || type == ResourceType.ANY) {
            throw new IllegalArgumentException("unknown resource type '" + f[2] + "' (topic, group, transactional-id, cluster)");
        }
        PatternType pattern = PatternType.LITERAL;
        if (f.length == 5) {
            pattern = switch (f[4].toLowerCase(Locale.ROOT)) {
                case "literal" -> PatternType.LITERAL;
                case "prefixed" -> PatternType.PREFIXED;
                default -> throw new IllegalArgumentException("pattern '" + f[4] + "' is neither literal nor prefixed");
            };
        }
        return new AclRule(f[0], op, type, f[3], pattern);
    }
}
