package eplua.net.udp;

import eplua.core.testing.DevScripts;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** Runs the Lua-level UDP tests in dev/tests/udp, one dynamic test per script. */
class UdpLuaScriptsTest {
    @TestFactory
    Stream<DynamicTest> udp() throws IOException {
        return DevScripts.tests("udp");
    }
}
