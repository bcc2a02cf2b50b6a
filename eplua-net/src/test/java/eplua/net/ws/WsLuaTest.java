package eplua.net.ws;

import eplua.core.testing.DevScripts;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** The Lua-level WebSocket tests under dev/tests/ws. */
class WsLuaTest {
    @TestFactory
    Stream<DynamicTest> ws() throws IOException {
        return DevScripts.tests("ws");
    }
}
