package eplua.jsr223;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.script.ScriptEngineFactory;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

class FactorySyntaxIsValidLua {
    private final StringWriter out = new StringWriter();
    private final EpluaScriptEngine engine = Engines.create(out, null);
    private final ScriptEngineFactory f = engine.getFactory();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void outputStatementPrintsExactlyItsArgument() throws Exception {
        String nasty = "a \"quoted\" 'single' back\\slash\\\n new\r\nline\ttab \0nul \u0001\u001f\u007f"
                + " ]] ]=] -- not a comment \\ndigits\u00012 é 😀 end";
        engine.eval(f.getOutputStatement(nasty));
        assertEquals(nasty, out.toString());
    }

    @Test
    void methodCallSyntaxIsLuaColonCall() throws Exception {
        assertEquals("obj:m(a, b)", f.getMethodCallSyntax("obj", "m", "a", "b"));
        assertEquals("obj:m()", f.getMethodCallSyntax("obj", "m"));
        engine.eval("obj = {k = 10, m = function(self, a, b) return self.k + a + b end} a = 1 b = 2");
        assertEquals(13, engine.eval("return " + f.getMethodCallSyntax("obj", "m", "a", "b")));
    }

    @Test
    void programIsValidLua() throws Exception {
        // without separators, "x = f" followed by "(print)('p')" would read as the call f(print)('p')
        String program = f.getProgram("x = 1", "local f = print", "(print)('p')", f.getOutputStatement("done"));
        engine.eval(program);
        assertEquals("p\ndone", out.toString().replace("\r", ""));
        assertEquals(1, engine.get("x"));
    }
}
