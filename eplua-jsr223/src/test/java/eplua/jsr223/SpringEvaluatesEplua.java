package eplua.jsr223;

import org.junit.jupiter.api.Test;
import org.springframework.scripting.ScriptCompilationException;
import org.springframework.scripting.support.StandardScriptEvaluator;
import org.springframework.scripting.support.StaticScriptSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Spring's StandardScriptEvaluator finds eplua by language name and passes its arguments as an immutable map. */
class SpringEvaluatesEplua {
    private final StandardScriptEvaluator evaluator = new StandardScriptEvaluator();

    SpringEvaluatesEplua() {
        evaluator.setLanguage("eplua");
    }

    @Test
    void argumentsFromMapOfAreRead() {
        Object r = evaluator.evaluate(new StaticScriptSource("return x * 2 + #names - names:size() .. ''"),
                Map.of("x", 21, "names", List.of("a", "b")));
        assertEquals("42", r);
        assertEquals(42, evaluator.evaluate(new StaticScriptSource("return x * 2"), Map.of("x", 21)));
    }

    @Test
    void aScriptWithoutArgumentsRuns() {
        assertEquals("lua", evaluator.evaluate(new StaticScriptSource("return ('LUA'):lower()")));
    }

    @Test
    void assigningIntoTheImmutableArgumentsFailsNamingTheVariable() {
        ScriptCompilationException e = assertThrows(ScriptCompilationException.class,
                () -> evaluator.evaluate(new StaticScriptSource("result = x + 1"), Map.of("x", 1)));
        Throwable t = e;
        StringBuilder messages = new StringBuilder();
        for (; t != null; t = t.getCause()) messages.append(t.getMessage()).append(" | ");
        assertTrue(messages.toString().contains("'result'"), messages.toString());
    }
}
