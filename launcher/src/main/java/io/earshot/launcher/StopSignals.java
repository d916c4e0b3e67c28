package io.earshot.launcher;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles Ctrl-C (SIGINT) and SIGTERM inside a running command instead of letting them start the JVM's
 * shutdown at once.
 *
 * <p>Why: at JVM shutdown every shutdown hook runs at the same time, and ONNX Runtime's own hook
 * releases its native environment while a model call may still be running, which crashes the JVM.
 * With these handlers the first signal only asks the command to stop ({@code onStop}); the command
 * stops its services in order and returns, and the JVM exits normally afterwards. A second signal
 * exits at once.
 *
 * <p>The JDK's signal API ({@code sun.misc.Signal}) is unsupported, so it is reached reflectively;
 * where it is missing the JVM keeps its default handling.
 */
public final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final List<Runnable> restore;

    private StopSignals(List<Runnable> restore) {
        this.restore = restore;
    }

    /** Installs the handlers; {@code onStop} runs once, on its own thread, at the first signal. */
    public static StopSignals install(Runnable onStop) {
        AtomicInteger received = new AtomicInteger();
        Runnable onSignal = () -> {
            if (received.incrementAndGet() == 1) {
                Thread stopper = new Thread(onStop, "earshot-stop");
                stopper.setDaemon(true);
                stopper.start();
            } else {
                Runtime.getRuntime().exit(130);
            }
        };
        List<Runnable> restore = new ArrayList<>();
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            onSignal.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "earshot stop signal handler";
                    });
            for (String name : SIGNALS) {
                Object signal = newSignal.newInstance(name);
                Object previous = handle.invoke(null, signal, handler);
                restore.add(() -> {
                    try {
                        handle.invoke(null, signal, previous);
                    } catch (ReflectiveOperationException e) {
                        LOG.debug("cannot restore the handler of SIG{}: {}", name, e.toString());
                    }
                });
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("signal handlers not installed, the JVM's defaults apply: {}", e.toString());
        }
        return new StopSignals(restore);
    }

    /** Puts the previous handlers back. */
    @Override
    public void close() {
        restore.forEach(Runnable::run);
    }
}
