package io.earshot.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The subset of JSON Schema (2020-12) that docs/schemas uses: type (one or a list), properties,
 * required, additionalProperties (boolean), enum, const, items, minItems, minLength, minimum,
 * maximum, pattern, if/then. Unknown keywords are an error so the schemas cannot silently use more
 * than is checked.
 */
final class TinyJsonSchema {

    private static final List<String> KNOWN = List.of("$schema", "$id", "title", "description", "type", "properties",
            "required", "additionalProperties", "enum", "const", "items", "minItems", "minLength", "minimum", "maximum",
            "pattern", "if", "then");

    private TinyJsonSchema() {
    }

    /** The violations of {@code value} against {@code schema}; empty when valid. */
    static List<String> validate(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode v, String path, List<String> errors) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!KNOWN.contains(keyword)) {
                throw new IllegalArgumentException("schema keyword '" + keyword + "' at " + path + " is not supported");
            }
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), v)) {
            errors.add(path + ": expected type " + schema.get("type") + ", got " + v.getNodeType());
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enum")) {
                found |= option.equals(v);
            }
            if (!found) {
                errors.add(path + ": " + v + " is not one of " + schema.get("enum"));
            }
        }
        if (schema.has("const") && !schema.get("const").equals(v)) {
            errors.add(path + ": expected " + schema.get("const") + ", got " + v);
        }
        if (v.isNumber()) {
            if (schema.has("minimum") && v.asDouble() < schema.get("minimum").asDouble()) {
                errors.add(path + ": " + v + " < minimum " + schema.get("minimum"));
            }
            if (schema.has("maximum") && v.asDouble() > schema.get("maximum").asDouble()) {
                errors.add(path + ": " + v + " > maximum " + schema.get("maximum"));
            }
        }
        if (v.isTextual()) {
            if (schema.has("minLength") && v.asText().length() < schema.get("minLength").asInt()) {
                errors.add(path + ": shorter than " + schema.get("minLength"));
            }
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(v.asText()).find()) {
                errors.add(path + ": '" + v.asText() + "' does not match " + schema.get("pattern"));
            }
        }
        if (v.isArray()) {
            if (schema.has("minItems") && v.size() < schema.get("minItems").asInt()) {
                errors.add(path + ": fewer than " + schema.get("minItems") + " items");
            }
            if (schema.has("items")) {
                for (int i = 0; i < v.size(); i++) {
                    check(schema.get("items"), v.get(i), path + "[" + i + "]", errors);
                }
            }
        }
        if (v.isObject()) {
            for (JsonNode req : schema.path("required")) {
                if (!v.has(req.asText())) {
                    errors.add(path + ": missing required property '" + req.asText() + "'");
                }
            }
            JsonNode props = schema.path("properties");
            for (Map.Entry<String, JsonNode> field : v.properties()) {
                if (props.has(field.getKey())) {
                    check(props.get(field.getKey()), field.getValue(), path + "." + field.getKey(), errors);
                } else if (schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean()) {
                    errors.add(path + ": property '" + field.getKey() + "' is not allowed");
                }
            }
        }
        if (schema.has("if") && validate(schema.get("if"), v).isEmpty() && schema.has("then")) {
            check(schema.get("then"), v, path, errors);
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, v)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException("unknown JSON Schema type " + type);
        };
    }
}
