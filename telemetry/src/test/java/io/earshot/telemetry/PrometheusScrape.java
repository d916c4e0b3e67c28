package io.earshot.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A parsed Prometheus text-format scrape: one {@link Sample} per non-comment line. Small and strict
 * enough for tests and for printing a summary; not a general exposition-format library (no
 * timestamps on samples, no escaped quotes inside label values beyond \" \\ \n).
 */
public record PrometheusScrape(List<Sample> samples) {

    private static final Pattern FAMILY = Pattern.compile("`([a-zA-Z_:][a-zA-Z0-9_:]*)\\*`");

    /** One sample line: metric name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public PrometheusScrape {
        samples = List.copyOf(samples);
    }

    /** Parses a scrape; a malformed line fails with its line number and text. */
    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                samples.add(parseLine(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a Prometheus sample: " + line, e);
            }
        }
        return new PrometheusScrape(samples);
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0 && brace < line.indexOf(' ')) {
            name = line.substring(0, brace);
            int pos = brace + 1;
            while (line.charAt(pos) != '}') {
                int eq = line.indexOf('=', pos);
                String key = line.substring(pos, eq).strip();
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("label value must be quoted");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(key, value.toString());
                pos = j + 1;
                if (line.charAt(pos) == ',') {
                    pos++;
                }
            }
            space = pos + 1;
        } else {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        }
        String rest = line.substring(space).strip();
        String valueText = rest.split("\\s+")[0];
        double value = switch (valueText) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(valueText);
        };
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name " + name);
        }
        return new Sample(name, Map.copyOf(labels), value);
    }

    /** All samples with this name. */
    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).collect(Collectors.toList());
    }

    /** The value of the one sample with this name whose labels include {@code labels}. */
    public Optional<Double> value(String name, Map<String, String> labels) {
        List<Sample> matching = named(name).stream()
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .collect(Collectors.toList());
        if (matching.size() > 1) {
            throw new IllegalArgumentException(matching.size() + " samples of " + name + " match " + labels);
        }
        return matching.stream().findFirst().map(Sample::value);
    }

    /** Sum over the samples with this name whose labels include {@code labels}. */
    public double sum(String name, Map<String, String> labels) {
        return named(name).stream()
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    /**
     * Metric names of this scrape that {@code documentation} does not mention as {@code `name`}. A
     * histogram's or summary's series ({@code _bucket}, {@code _count}, {@code _sum}, {@code _max}) count
     * as documented when their base name is, and {@code `prefix_*`} documents a whole family (such as
     * the Kafka client's own metrics).
     */
    public List<String> undocumentedIn(String documentation) {
        List<String> families = new ArrayList<>();
        Matcher m = FAMILY.matcher(documentation);
        while (m.find()) {
            families.add(m.group(1));
        }
        return names().stream().filter(name -> {
            if (documentation.contains("`" + name + "`") || families.stream().anyMatch(name::startsWith)) {
                return false;
            }
            for (String suffix : List.of("_bucket", "_count", "_sum", "_max")) {
                if (name.endsWith(suffix)
                        && documentation.contains("`" + name.substring(0, name.length() - suffix.length()) + "`")) {
                    return false;
                }
            }
            return true;
        }).collect(Collectors.toList());
    }

    /** The distinct metric names present. */
    public List<String> names() {
        return samples.stream().map(Sample::name).distinct().sorted().collect(Collectors.toList());
    }
}
