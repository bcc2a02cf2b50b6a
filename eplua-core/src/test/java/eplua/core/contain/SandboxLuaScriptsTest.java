package eplua.core.contain;

import eplua.core.Profile;
import eplua.core.testing.DevScripts;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The Lua-level tests of the sandbox profile: dev/tests/sandbox/*.lua, each in a fresh sandboxed engine. */
class SandboxLuaScriptsTest {
    @TestFactory
    Stream<DynamicTest> sandboxScripts() throws IOException {
        return DevScripts.tests("sandbox", b -> b.profile(Profile.SANDBOX)
                .requireRoots(List.of(DevScripts.root().resolve("dev/tests/sandbox/lib")))
                .environment(Map.of("EPLUA_SANDBOX_VAR", "given by the host"))
                .maxInstructions(2_000_000)
                .maxTasks(50));
    }
}
