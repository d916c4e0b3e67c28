package io.earshot.dsp.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestFeaturesTest {

    /** The features object as training/earshot_sed/manifest.py writes it, as nested maps. */
    static Map<String, Object> v1Features() {
        List<Double> mean = new ArrayList<>(Collections.nCopies(64, -6.5));
        List<Double> std = new ArrayList<>(Collections.nCopies(64, 2.25));
        Map<String, Object> f = new HashMap<>();
        f.put("sample_rate", 16000);
        f.put("n_fft", 1024);
        f.put("win_length", 1024);
        f.put("hop_length", 256);
        f.put("window", "hann_periodic");
        f.put("center", false);
        f.put("spectrum", "power");
        f.put("mel", new HashMap<>(Map.of("n_mels", 64, "fmin", 50.0, "fmax", 8000.0, "scale", "htk", "norm", "none")));
        f.put("log", new HashMap<>(Map.of("type", "ln", "offset", 1e-6)));
        f.put("normalization", new HashMap<>(Map.of("type", "per_band", "mean", mean, "std", std)));
        return f;
    }

    @Test
    void readsTheV1Features() {
        LogMelSpec spec = LogMelSpec.fromManifestFeatures(v1Features());
        float[] mean = new float[64];
        float[] std = new float[64];
        java.util.Arrays.fill(mean, -6.5f);
        java.util.Arrays.fill(std, 2.25f);
        assertEquals(LogMelSpec.earshotV1(mean, std), spec);
    }

    @Test
    void noNormalisationMeansMeanZeroStdOne() {
        Map<String, Object> f = v1Features();
        f.put("normalization", Map.of("type", "none"));
        assertEquals(LogMelSpec.earshotV1Unnormalised(), LogMelSpec.fromManifestFeatures(f));
    }

    @Test
    void refusesFeaturesTheExtractorDoesNotCompute() {
        assertRefused("window", "hann_symmetric", "features.window");
        assertRefused("spectrum", "magnitude", "features.spectrum");
        assertRefused("center", true, "features.center");
        Map<String, Object> slaney = v1Features();
        @SuppressWarnings("unchecked")
        Map<String, Object> mel = (Map<String, Object>) slaney.get("mel");
        mel.put("scale", "slaney");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogMelSpec.fromManifestFeatures(slaney));
        assertTrue(e.getMessage().contains("features.mel.scale"), e.getMessage());
        Map<String, Object> missing = v1Features();
        missing.remove("hop_length");
        e = assertThrows(IllegalArgumentException.class, () -> LogMelSpec.fromManifestFeatures(missing));
        assertTrue(e.getMessage().contains("features.hop_length: missing"), e.getMessage());
        Map<String, Object> shortMean = v1Features();
        shortMean.put("normalization", Map.of("type", "per_band", "mean", List.of(1.0), "std", List.of(1.0)));
        e = assertThrows(IllegalArgumentException.class, () -> LogMelSpec.fromManifestFeatures(shortMean));
        assertTrue(e.getMessage().contains("mean must have nMels=64"), e.getMessage());
    }

    private static void assertRefused(String key, Object value, String path) {
        Map<String, Object> f = v1Features();
        f.put(key, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogMelSpec.fromManifestFeatures(f));
        assertTrue(e.getMessage().contains(path), e.getMessage());
    }
}
