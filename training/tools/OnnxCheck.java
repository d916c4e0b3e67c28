// Checks an exported model with ONNX Runtime Java (there is no Python ONNX Runtime in Debian):
// runs the inputs that earshot_sed.onnx_check wrote, compares with torch's outputs, and times
// single-thread inference of a 10-s window.
// Run: java -cp onnxruntime-1.23.2.jar training/tools/OnnxCheck.java MODEL.onnx CASE_DIR
import ai.onnxruntime.*;
import java.io.IOException;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class OnnxCheck {
    static float[] readF32(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(1);
        opts.setInterOpNumThreads(1);
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (OrtSession s = env.createSession(args[0], opts)) {
            double worst = 0;
            for (String line : Files.readAllLines(Paths.get(args[1], "cases.txt"))) {
                String[] f = line.split(" ");
                String name = f[0];
                int t = Integer.parseInt(f[1]);
                float[] in = readF32(Paths.get(args[1], name + ".in.f32"));
                float[] frame = readF32(Paths.get(args[1], name + ".frame.f32"));
                float[] clip = readF32(Paths.get(args[1], name + ".clip.f32"));
                try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), new long[] {1, t, 64});
                     OrtSession.Result r = s.run(Map.of("logmel", x))) {
                    float[][][] fp = (float[][][]) r.get("frame_probs").get().getValue();
                    float[][] cp = (float[][]) r.get("clip_probs").get().getValue();
                    double d = 0;
                    int k = fp[0][0].length;
                    if (fp[0].length * k != frame.length) throw new IllegalStateException(name + ": frames " + fp[0].length);
                    for (int j = 0; j < fp[0].length; j++)
                        for (int c = 0; c < k; c++) d = Math.max(d, Math.abs(fp[0][j][c] - frame[j * k + c]));
                    for (int c = 0; c < k; c++) d = Math.max(d, Math.abs(cp[0][c] - clip[c]));
                    System.out.printf("%s: T=%d frames=%d max|ort-torch|=%.3g%n", name, t, fp[0].length, d);
                    worst = Math.max(worst, d);
                }
            }
            System.out.printf("worst difference %.3g%n", worst);
            for (int frames : new int[] {624, 1000}) {
                float[] in = new float[frames * 64];
                Random rnd = new Random(1);
                for (int i = 0; i < in.length; i++) in[i] = (float) rnd.nextGaussian();
                try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), new long[] {1, frames, 64})) {
                    for (int i = 0; i < 20; i++) s.run(Map.of("logmel", x)).close();
                    int n = 500;
                    long[] times = new long[n];
                    for (int i = 0; i < n; i++) {
                        long t0 = System.nanoTime();
                        s.run(Map.of("logmel", x)).close();
                        times[i] = System.nanoTime() - t0;
                    }
                    Arrays.sort(times);
                    double audio = frames * 256.0 / 16000.0;
                    // The machine is shared: the minimum is the uncontended cost, the median what
                    // this run saw with other work on the cores.
                    System.out.printf("1 thread, %d frames (%.2f s audio): min %.2f ms, p10 %.2f ms, median %.2f ms"
                            + " -> %.0fx real time at the median, %.0fx at p10%n",
                            frames, audio, times[0] / 1e6, times[n / 10] / 1e6, times[n / 2] / 1e6,
                            audio / (times[n / 2] / 1e9), audio / (times[n / 10] / 1e9));
                }
            }
        }
    }
}
