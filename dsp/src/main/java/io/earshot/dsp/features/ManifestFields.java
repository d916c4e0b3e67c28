package io.earshot.dsp.features;

import java.util.List;
import java.util.Map;

/** Typed access to one object of a parsed JSON manifest, with errors that name the field path. */
final class ManifestFields {

    private final Map<String, ?> fields;
    private final String path;

    ManifestFields(Map<String, ?> fields, String path) {
        if (fields == null) {
            throw new IllegalArgumentException("manifest " + path + ": missing");
        }
        this.fields = fields;
        this.path = path;
    }

    private Object get(String key) {
        Object v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException("manifest " + path + "." + key + ": missing");
        }
        return v;
    }

    ManifestFields object(String key) {
        Object v = get(key);
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("manifest " + path + "." + key + ": expected an object, got " + v);
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) m;
        return new ManifestFields(typed, path + "." + key);
    }

    String text(String key) {
        Object v = get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("manifest " + path + "." + key + ": expected a string, got " + v);
        }
        return s;
    }

    void requireText(String key, String supported) {
        String v = text(key);
        if (!v.equals(supported)) {
            throw new IllegalArgumentException("manifest " + path + "." + key + ": only '" + supported
                    + "' is supported by the Java feature extractor, got '" + v + "'");
        }
    }

    double number(String key) {
        Object v = get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("manifest " + path + "." + key + ": expected a number, got " + v);
        }
        return n.doubleValue();
    }

    int integer(String key) {
        double d = number(key);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("manifest " + path + "." + key + ": expected an integer, got " + d);
        }
        return (int) d;
    }

    float[] floats(String key) {
        Object v = get(key);
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("manifest " + path + "." + key + ": expected a list of numbers, got " + v);
        }
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("manifest " + path + "." + key + "[" + i + "]: expected a number, got " + list.get(i));
            }
            out[i] = n.floatValue();
        }
        return out;
    }
}
