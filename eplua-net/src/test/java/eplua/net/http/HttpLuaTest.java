package eplua.net.http;

import eplua.core.testing.DevScripts;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** The Lua-level HTTP tests under dev/tests/http. */
class HttpLuaTest {
    @TestFactory
    Stream<DynamicTest> http() throws IOException {
        return DevScripts.tests("http");
    }
}
