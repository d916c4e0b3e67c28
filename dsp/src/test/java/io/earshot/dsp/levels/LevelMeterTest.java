package io.earshot.dsp.levels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.dsp.features.MelFilterbank;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LevelMeterTest {

    private static final int RATE = 16000;

    private static LevelMeter meter() {
        return new LevelMeter(RATE, 4096, 1024, 32, 50, 8000);
    }

    private static float[] sine(double hz, double amplitude, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return x;
    }

    private static List<LevelMeter.Interval> pushInChunks(LevelMeter m, long first, float[] x, int chunk) {
        List<LevelMeter.Interval> out = new ArrayList<>();
        for (int from = 0; from < x.length; from += chunk) {
            out.addAll(m.push(first + from, Arrays.copyOfRange(x, from, Math.min(x.length, from + chunk))));
        }
        return out;
    }

    @Test
    void aHalfScaleSineReadsMinusNineRmsAndMinusSixPeakWithItsEnergyInItsBand() {
        List<LevelMeter.Interval> out = pushInChunks(meter(), 0, sine(1000, 0.5, 16000), 1600);
        assertEquals(3, out.size(), "16000 samples hold three whole 4096-sample intervals");
        LevelMeter.Interval iv = out.get(1);
        assertEquals(4096, iv.startSample());
        assertEquals(8192, iv.endSample());
        assertEquals(-9.0, iv.rmsDbfs(), 0.11);
        assertEquals(-6.0, iv.peakDbfs(), 0.11);
        assertEquals(4, iv.columns().length);
        // The band around 1 kHz holds the tone (about -6 dB re full-scale sine); 6 kHz and up are empty.
        int band = bandOf(meter(), 1000);
        int[] col = iv.columns()[2];
        assertEquals(-6, col[band], 2.0, Arrays.toString(col));
        int loud = 0;
        for (int m = 0; m < col.length; m++) {
            if (col[m] > col[band]) {
                loud++;
            }
        }
        assertEquals(0, loud, "no band is louder than the tone's: " + Arrays.toString(col));
        assertTrue(col[31] < -80, "the top band is near silent: " + Arrays.toString(col));
    }

    private static int bandOf(LevelMeter m, double hz) {
        double mel = MelFilterbank.hzToMel(hz);
        double lo = MelFilterbank.hzToMel(50);
        double hi = MelFilterbank.hzToMel(8000);
        return (int) Math.round((mel - lo) / (hi - lo) * 33) - 1;
    }

    @Test
    void silenceReadsTheFloor() {
        LevelMeter.Interval iv = meter().push(0, new float[4096]).get(0);
        assertEquals(LevelMeter.FLOOR_DB, iv.rmsDbfs());
        assertEquals(LevelMeter.FLOOR_DB, iv.peakDbfs());
        for (int[] col : iv.columns()) {
            for (int v : col) {
                assertEquals(LevelMeter.FLOOR_DB, v);
            }
        }
    }

    @Test
    void resultsDoNotDependOnChunking() {
        float[] x = new float[20000];
        java.util.Random rng = new java.util.Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.2 * rng.nextGaussian());
        }
        List<LevelMeter.Interval> a = pushInChunks(meter(), 0, x, 100);
        List<LevelMeter.Interval> b = pushInChunks(meter(), 0, x, 7777);
        assertEquals(a.size(), b.size());
        for (int k = 0; k < a.size(); k++) {
            assertEquals(a.get(k).startSample(), b.get(k).startSample());
            assertEquals(a.get(k).rmsDbfs(), b.get(k).rmsDbfs());
            assertEquals(a.get(k).peakDbfs(), b.get(k).peakDbfs());
            assertArrayEquals(a.get(k).columns(), b.get(k).columns());
        }
    }

    @Test
    void aMeterStartedMidIntervalSkipsToTheNextBoundary() {
        List<LevelMeter.Interval> out = pushInChunks(meter(), 5000, sine(440, 0.1, 12000), 1000);
        assertEquals(8192, out.get(0).startSample());
        assertEquals(2, out.size(), "[8192, 12288) and [12288, 16384) are whole; [5000, 8192) is skipped");
    }

    @Test
    void aGapIsRefusedWithBothIndices() {
        LevelMeter m = meter();
        m.push(0, new float[100]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.push(200, new float[100]));
        assertTrue(e.getMessage().contains("200") && e.getMessage().contains("100"), e.getMessage());
    }
}
