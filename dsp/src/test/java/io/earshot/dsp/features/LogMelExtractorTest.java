package io.earshot.dsp.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogMelExtractorTest {

    private static final LogMelSpec RAW = LogMelSpec.earshotV1Unnormalised();

    static float[] noisyTones(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i / 16000.0;
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 3100 * t + 1)
                    + 0.05 * rnd.nextGaussian() + (i % 4000 < 800 ? 0.4 * Math.sin(2 * Math.PI * 7000 * t) : 0));
        }
        return x;
    }

    @Test
    void matchesNaiveDoublePrecisionDft() {
        float[] x = noisyTones(16000, 7);
        LogMelExtractor extractor = new LogMelExtractor(RAW);
        float[] raw = new float[64];
        double worst = 0;
        for (int frame : new int[] {0, 1, 17, 33, 58}) {
            int start = frame * 256;
            extractor.logMel(x, start, raw);
            double[] ref = ReferenceLogMel.frame(x, start, RAW);
            for (int m = 0; m < 64; m++) {
                worst = Math.max(worst, Math.abs(raw[m] - ref[m]));
            }
        }
        // float storage of values around -14..+6 limits agreement to ~1e-6; 1e-4 leaves room but not for bugs.
        assertTrue(worst < 1e-4, "max |java - reference| = " + worst);
    }

    @Test
    void quietSignalMatchesReferenceToo() {
        // Low levels are where single-precision arithmetic would show: power near the 1e-6 offset.
        float[] x = noisyTones(2048, 3);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 1e-4f;
        }
        float[] raw = new float[64];
        new LogMelExtractor(RAW).logMel(x, 512, raw);
        double[] ref = ReferenceLogMel.frame(x, 512, RAW);
        for (int m = 0; m < 64; m++) {
            assertEquals(ref[m], raw[m], 1e-4, "band " + m);
        }
    }

    @Test
    void sineLandsInTheBandWhoseCentreIsNearest() {
        MelFilterbank fb = new MelFilterbank(RAW);
        double melLo = MelFilterbank.hzToMel(50);
        double melHi = MelFilterbank.hzToMel(8000);
        for (int band : new int[] {5, 20, 40, 60}) {
            double centreHz = MelFilterbank.melToHz(melLo + (melHi - melLo) * (band + 1) / 65.0);
            float[] x = new float[1024];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (0.5 * Math.sin(2 * Math.PI * centreHz * i / 16000.0));
            }
            float[] raw = new float[64];
            new LogMelExtractor(RAW).logMel(x, 0, raw);
            int argmax = 0;
            for (int m = 1; m < 64; m++) {
                if (raw[m] > raw[argmax]) {
                    argmax = m;
                }
            }
            assertEquals(band, argmax, "sine at " + centreHz + " Hz");
            // Hann main lobe is 4 bins wide: bands far from the tone see only leakage, orders of magnitude less.
            int far = band < 32 ? band + 10 : band - 10;
            assertTrue(raw[band] - raw[far] > 10, "band " + band + " vs band " + far);
        }
        assertEquals(64, fb.bands());
    }

    @Test
    void silenceGivesLogOfTheOffset() {
        float[] raw = new float[64];
        new LogMelExtractor(RAW).logMel(new float[4096], 1000, raw);
        float expected = (float) Math.log(1e-6);
        for (float v : raw) {
            assertEquals(expected, v);
        }
        assertEquals(-13.815510557964274, Math.log(1e-6), 1e-12);
    }

    @Test
    void normalisesPerBand() {
        float[] mean = new float[64];
        float[] std = new float[64];
        for (int m = 0; m < 64; m++) {
            mean[m] = -5f + m * 0.1f;
            std[m] = 1.5f + m * 0.01f;
        }
        LogMelExtractor ex = new LogMelExtractor(LogMelSpec.earshotV1(mean, std));
        float[] x = noisyTones(4096, 11);
        float[] raw = new float[64];
        float[] norm = new float[64];
        ex.extract(x, 256, raw, norm);
        for (int m = 0; m < 64; m++) {
            assertEquals((raw[m] - mean[m]) / std[m], norm[m], 1e-5);
        }
        float[] again = raw.clone();
        ex.normalise(again, again);
        assertArrayEquals(norm, again, 1e-6f);
        float[][] all = ex.normalisedAll(x);
        assertEquals(13, all.length);
        assertArrayEquals(norm, all[1]);
    }

    @Test
    void filterbankIsSparseAndPeaksAtOne() {
        MelFilterbank fb = new MelFilterbank(RAW);
        double[][] dense = fb.dense();
        for (int m = 0; m < 64; m++) {
            double[] w = fb.weights(m);
            assertTrue(w.length >= 1 && w.length < 60, "band " + m + " has " + w.length + " bins");
            double max = 0;
            for (double v : dense[m]) {
                assertTrue(v >= 0 && v <= 1);
                max = Math.max(max, v);
            }
            // The nearest bin lies at most half a bin (7.8 Hz) from the centre, so the sampled peak is
            // at least 1 - 7.8 Hz / (the shorter slope in Hz).
            double melLo = MelFilterbank.hzToMel(50);
            double step = (MelFilterbank.hzToMel(8000) - melLo) / 65;
            double lo = MelFilterbank.melToHz(melLo + step * m);
            double c = MelFilterbank.melToHz(melLo + step * (m + 1));
            double hi = MelFilterbank.melToHz(melLo + step * (m + 2));
            double bound = 1 - 7.8125 / Math.min(c - lo, hi - c);
            assertTrue(max >= bound - 1e-12 && max > 0.5, "band " + m + " peak " + max + " below " + bound);
            assertTrue(fb.startBin(m) >= (m == 0 ? 3 : fb.startBin(m - 1)), "bands ascend");
        }
    }

    @Test
    void rejectsFramesOutsideTheSignal() {
        LogMelExtractor ex = new LogMelExtractor(RAW);
        float[] raw = new float[64];
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ex.logMel(new float[1500], 600, raw));
        assertTrue(e.getMessage().contains("[600, 1624)"), e.getMessage());
    }

    @Test
    void specValidatesItsFields() {
        assertThrows(IllegalArgumentException.class, () -> LogMelSpec.earshotV1(new float[63], new float[64]));
        float[] zeros = new float[64];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogMelSpec.earshotV1(zeros, zeros));
        assertTrue(e.getMessage().contains("std[0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new LogMelSpec(16000, 1000, 1000, 256, 64, 50, 8000, 1e-6, new float[64], new float[64]));
        assertEquals(LogMelSpec.earshotV1Unnormalised(), LogMelSpec.earshotV1Unnormalised());
        assertEquals(4, RAW.frameCount(1024 + 3 * 256 + 255));
        assertEquals(2, RAW.firstFrameAtOrAfter(257));
        assertEquals(1, RAW.firstFrameAtOrAfter(256));
    }
}
