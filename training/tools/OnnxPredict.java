// Frame probabilities of a windowed ONNX model for a batch of clips, each clip one window
// (there is no Python ONNX Runtime in Debian; this is how Python scores an exported model it has
// no checkpoint for, such as v1 on a new test split).
// Run: java -cp onnxruntime-1.23.2.jar training/tools/OnnxPredict.java MODEL.onnx IN.f32 N T OUT.f32
// IN.f32: N x T x 64 little-endian float32 normalised log-mel; OUT.f32: N x ceil(T/4) x K.
import ai.onnxruntime.*;
import java.io.*;
import java.nio.*;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.Map;

public class OnnxPredict {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[2]), t = Integer.parseInt(args[3]);
        FloatBuffer in;
        try (FileChannel ch = FileChannel.open(Paths.get(args[1]))) {
            in = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        }
        if (in.remaining() != (long) n * t * 64) throw new IllegalArgumentException(args[1] + ": size is not N*T*64 floats");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(2);
        try (OrtSession s = env.createSession(args[0], opts);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(args[4])))) {
            int batch = 16;
            for (int i = 0; i < n; i += batch) {
                int b = Math.min(batch, n - i);
                float[] x = new float[b * t * 64];
                in.position(i * t * 64);
                in.get(x);
                try (OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {b, t, 64});
                     OrtSession.Result r = s.run(Map.of("logmel", xt))) {
                    float[][][] fp = (float[][][]) r.get("frame_probs").get().getValue();
                    ByteBuffer bb = ByteBuffer.allocate(b * fp[0].length * fp[0][0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    for (float[][] clip : fp) for (float[] frame : clip) for (float v : frame) bb.putFloat(v);
                    out.write(bb.array());
                }
            }
        }
    }
}
