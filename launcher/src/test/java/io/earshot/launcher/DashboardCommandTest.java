package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Bad options of {@code earshot dashboard} are one-line usage errors that name the option or address. */
class DashboardCommandTest {

    @Test
    void aPortOutOfRangeIsAUsageError() {
        MainTest.Result r = MainTest.run("dashboard", "--port", "70000");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--port must be in 0..65535, got 70000"), r.err());
    }

    @Test
    void aPortInUseNamesTheAddressAndTheRemedy() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            MainTest.Result r = MainTest.run("dashboard", "--port", String.valueOf(taken.getLocalPort()),
                    "--bootstrap-server", "127.0.0.1:1");
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().contains("cannot serve the dashboard on 127.0.0.1:" + taken.getLocalPort()), r.err());
            assertTrue(r.err().contains("--port"), r.err());
        }
    }

    @Test
    void anUnknownBindAddressIsAUsageError() {
        MainTest.Result r = MainTest.run("dashboard", "--bind", "no-such-host.invalid", "--port", "0");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("no-such-host.invalid"), r.err());
    }
}
