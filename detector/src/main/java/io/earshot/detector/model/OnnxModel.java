package io.earshot.detector.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.earshot.detector.inference.StreamBlock;
import io.earshot.detector.inference.StreamBlockOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session of the sound event detection model, checked against its manifest.
 *
 * <p>A process holds one instance per model and shares it between stream threads: {@code OrtSession.run}
 * is thread-safe, and one session keeps a single copy of the weights.
 */
public final class OnnxModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);

    private final ModelManifest manifest;
    private final Path path;
    private final OrtSession session;
    private final boolean verified;

    private OnnxModel(ModelManifest manifest, Path path, OrtSession session, boolean verified) {
        this.manifest = manifest;
        this.path = path;
        this.session = session;
        this.verified = verified;
    }

    /**
     * Loads the model at {@code onnxPath} with {@code intraOpThreads} threads per inference and checks
     * that its inputs and outputs are the ones the manifest describes.
     *
     * <p>When the manifest gives the file's SHA-256 ({@code onnx_sha256}), the file must have it: a model
     * exported again, or a manifest of another export, is refused before anything runs on it. A manifest
     * without it loads the model unverified, with a warning.
     *
     * @throws ModelException naming the file when it is missing, unreadable, not an ONNX model, or
     *                        does not match the manifest (its hash or its inputs and outputs)
     */
    public static OnnxModel load(Path onnxPath, ModelManifest manifest, int intraOpThreads) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1, got " + intraOpThreads);
        }
        if (!Files.isRegularFile(onnxPath)) {
            throw new ModelException("model file " + onnxPath + " does not exist");
        }
        if (!Files.isReadable(onnxPath)) {
            throw new ModelException("model file " + onnxPath + " is not readable");
        }
        boolean verified = verifyHash(onnxPath, manifest);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(onnxPath.toString(), options);
        } catch (OrtException e) {
            throw new ModelException("model file " + onnxPath + " cannot be loaded by ONNX Runtime: " + e.getMessage(), e);
        }
        try {
            validate(onnxPath, manifest, session);
        } catch (RuntimeException | OrtException e) {
            closeQuietly(session);
            if (e instanceof ModelException me) {
                throw me;
            }
            throw new ModelException("model file " + onnxPath + " cannot be inspected: " + e.getMessage(), e);
        }
        return new OnnxModel(manifest, onnxPath, session, verified);
    }

    /** True when the file's SHA-256 was checked against the manifest; false when the manifest has none. */
    private static boolean verifyHash(Path onnxPath, ModelManifest manifest) {
        if (manifest.onnxSha256() == null) {
            LOG.warn("model manifest {} has no onnx_sha256: {} is loaded without checking that it is the model the "
                    + "manifest was written for", manifest.source(), onnxPath);
            return false;
        }
        String actual = sha256(onnxPath);
        if (!actual.equals(manifest.onnxSha256())) {
            throw new ModelException("model file " + onnxPath + " is not the one its manifest " + manifest.source()
                    + " was written for: the file's SHA-256 is " + actual + ", the manifest's onnx_sha256 is "
                    + manifest.onnxSha256() + " (use the manifest exported with this model)");
        }
        return true;
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new ModelException("model file " + file + " cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /** True when the model file was checked against the manifest's onnx_sha256. */
    public boolean verified() {
        return verified;
    }

    private static void validate(Path onnxPath, ModelManifest m, OrtSession session) throws OrtException {
        String where = "model " + onnxPath + " does not match its manifest " + m.source() + ": ";
        Map<String, NodeInfo> inputs = session.getInputInfo();
        NodeInfo input = inputs.get(m.inputName());
        if (input == null) {
            throw new ModelException(where + "no input named '" + m.inputName() + "' (the model has " + inputs.keySet() + ")");
        }
        requireShape(where, input, m.inputName(), m.nMels());
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        NodeInfo frames = outputs.get(m.frameOutputName());
        if (frames == null) {
            throw new ModelException(where + "no output named '" + m.frameOutputName() + "' (the model has " + outputs.keySet() + ")");
        }
        requireShape(where, frames, m.frameOutputName(), m.labels().size());
        if (m.isStreaming()) {
            StreamingSpec st = m.streaming();
            requireState(where, inputs.get(st.stateInput()), st.stateInput(), st.stateSize(), inputs.keySet());
            requireState(where, outputs.get(st.stateOutput()), st.stateOutput(), st.stateSize(), outputs.keySet());
        }
    }

    /** Requires a float tensor [batch, stateSize] (or a symbolic last dimension). */
    private static void requireState(String where, NodeInfo node, String name, int size, Set<String> present) {
        if (node == null) {
            throw new ModelException(where + "no state tensor named '" + name + "' (the model has " + present + ")");
        }
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            throw new ModelException(where + "'" + name + "' is not a float tensor");
        }
        long[] shape = tensor.getShape();
        if (shape.length != 2 || (shape[1] >= 0 && shape[1] != size)) {
            throw new ModelException(where + "'" + name + "' has shape " + Arrays.toString(shape)
                    + ", the manifest's state_size needs [batch, " + size + "]");
        }
    }

    /** Requires a float tensor of rank 3 whose last dimension is {@code lastDim} (or symbolic). */
    private static void requireShape(String where, NodeInfo node, String name, int lastDim) {
        ValueInfo info = node.getInfo();
        if (!(info instanceof TensorInfo tensor)) {
            throw new ModelException(where + "'" + name + "' is not a tensor");
        }
        if (tensor.type != OnnxJavaType.FLOAT) {
            throw new ModelException(where + "'" + name + "' holds " + tensor.type + ", expected FLOAT");
        }
        long[] shape = tensor.getShape();
        if (shape.length != 3) {
            throw new ModelException(where + "'" + name + "' has rank " + shape.length + ", expected [batch, time, " + lastDim + "]");
        }
        if (shape[2] >= 0 && shape[2] != lastDim) {
            throw new ModelException(where + "'" + name + "' has " + shape[2] + " values per frame, the manifest says " + lastDim);
        }
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public Path path() {
        return path;
    }

    /**
     * Runs a batch of windows of equal length: {@code windows[b][t][mel]} normalised log-mel frames.
     * Returns frame probabilities {@code [b][outputFrame][label]}.
     */
    public float[][][] run(float[][][] windows) {
        int batch = windows.length;
        if (batch == 0) {
            return new float[0][][];
        }
        int time = windows[0].length;
        int mels = manifest.nMels();
        FloatBuffer buffer = ByteBuffer.allocateDirect(batch * time * mels * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (float[][] window : windows) {
            if (window.length != time) {
                throw new IllegalArgumentException("windows of one batch must have equal length: " + window.length + " vs " + time);
            }
            for (float[] frame : window) {
                buffer.put(frame, 0, mels);
            }
        }
        buffer.flip();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[] {batch, time, mels});
             OrtSession.Result result = session.run(Map.of(manifest.inputName(), tensor),
                     Set.of(manifest.frameOutputName()))) {
            Object value = result.get(0).getValue();
            return (float[][][]) value;
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed in model " + path + " for a batch of " + batch
                    + " windows of " + time + " frames: " + e.getMessage(), e);
        }
    }

    /**
     * Runs one block of each of several sources through a streaming model: every block has the same
     * number of frames, its own carried state. Returns, per block, frame probabilities and the next state.
     */
    public List<StreamBlockOutput> runBlocks(
            List<StreamBlock> blocks) {
        StreamingSpec st = manifest.streaming();
        if (st == null) {
            throw new IllegalStateException("model " + path + " is not a streaming model");
        }
        int batch = blocks.size();
        if (batch == 0) {
            return List.of();
        }
        int time = blocks.get(0).frames().length;
        int mels = manifest.nMels();
        int size = st.stateSize();
        FloatBuffer frames = ByteBuffer.allocateDirect(batch * time * mels * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer states = ByteBuffer.allocateDirect(batch * size * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (StreamBlock b : blocks) {
            if (b.frames().length != time || b.state().length != size) {
                throw new IllegalArgumentException("blocks of one batch need " + time + " frames and " + size
                        + " state values; got " + b.frames().length + " and " + b.state().length);
            }
            for (float[] frame : b.frames()) {
                frames.put(frame, 0, mels);
            }
            states.put(b.state());
        }
        frames.flip();
        states.flip();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor in = OnnxTensor.createTensor(env, frames, new long[] {batch, time, mels});
             OnnxTensor state = OnnxTensor.createTensor(env, states, new long[] {batch, size});
             OrtSession.Result result = session.run(Map.of(manifest.inputName(), in, st.stateInput(), state),
                     Set.of(manifest.frameOutputName(), st.stateOutput()))) {
            float[][][] probs = (float[][][]) result.get(manifest.frameOutputName()).orElseThrow().getValue();
            float[][] next = (float[][]) result.get(st.stateOutput()).orElseThrow().getValue();
            List<StreamBlockOutput> out = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                out.add(new StreamBlockOutput(probs[i], next[i]));
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed in model " + path + " for a batch of " + batch
                    + " blocks of " + time + " frames: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // closing releases native memory; there is nothing left to do if it reports an error
        }
    }
}
