package eplua.net.tcp;

import eplua.core.testing.DevScripts;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** Runs the Lua-level TCP tests in dev/tests/tcp, one dynamic test per script. */
class TcpLuaScriptsTest {
    @TestFactory
    Stream<DynamicTest> tcp() throws IOException {
        return DevScripts.tests("tcp");
    }
}
