package eplua.core;

import eplua.core.testing.DevScripts;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** The Lua-level tests of the core: dev/tests/core/*.lua, one test per script. */
class CoreLuaScriptsTest {
    @TestFactory
    Stream<DynamicTest> coreScripts() throws IOException {
        return DevScripts.tests("core");
    }
}
