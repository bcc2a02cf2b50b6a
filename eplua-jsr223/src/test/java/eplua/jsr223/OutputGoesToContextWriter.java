package eplua.jsr223;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class OutputGoesToContextWriter {
    private static final String TEXT = "héllo wörld ✓ 😀 日本";
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final EpluaScriptEngine engine = Engines.create(out, err);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void printAndIoWriteAreUtf8Safe() throws Exception {
        engine.put("s", TEXT);
        engine.eval("print(s) io.write(s, '|', '" + TEXT + "', '\\n')");
        assertEquals(TEXT + "\n" + TEXT + "|" + TEXT + "\n", out.toString().replace("\r", ""));
    }

    @Test
    void ioReadReadsTheContextReader() throws Exception {
        engine.getContext().setReader(new StringReader(TEXT + "\nsecond line\n"));
        assertEquals(TEXT, engine.eval("return io.read('*l')"));
        assertEquals("second line", engine.eval("return io.read('*l')"));
    }

    @Test
    void callbackErrorsGoToTheErrorWriter() throws Exception {
        // BMP text only: error messages pass through LuaJ's tojstring(), which garbles 4-byte UTF-8 (see report)
        engine.eval("setTimeout(function() error('late failure ✓ é') end, 1)");
        assertTrue(engine.engine().awaitIdle(Duration.ofSeconds(5)));
        assertTrue(err.toString().contains("late failure ✓ é"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void timersPrintToTheLatestWriter() throws Exception {
        engine.eval("setTimeout(function() print('tick') end, 1)");
        assertTrue(engine.engine().awaitIdle(Duration.ofSeconds(5)));
        assertEquals("tick\n", out.toString().replace("\r", ""));
    }

    @Test
    void aContextPassedToEvalGetsTheOutput() throws Exception {
        SimpleScriptContext ctx = new SimpleScriptContext();
        StringWriter other = new StringWriter();
        ctx.setWriter(other);
        ctx.setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE), ScriptContext.ENGINE_SCOPE);
        engine.eval("print('to other') shared = 1", ctx);
        assertEquals("to other\n", other.toString().replace("\r", ""));
        assertEquals(1, engine.get("shared"));
        engine.setContext(engine.getContext());
        engine.eval("print('back')");
        assertEquals("back\n", out.toString().replace("\r", ""));
    }

    @Test
    void aForeignScriptContextImplementationWorks() throws Exception {
        MiniContext ctx = new MiniContext();
        ctx.engine.put("input", 2);
        assertEquals(4, engine.eval("out = input * 2 print(TEXT or 'nil', out) return out", ctx));
        assertEquals("nil\t4\n", ctx.out.toString().replace("\r", ""));
        assertEquals(4, ctx.engine.get("out"));
        ctx.global.put("TEXT", TEXT);
        engine.eval("print(TEXT)", ctx);
        assertTrue(ctx.out.toString().endsWith(TEXT + "\n"), ctx.out.toString());
    }

    /** A ScriptContext that is not a SimpleScriptContext. */
    static final class MiniContext implements ScriptContext {
        final Bindings engine = new SimpleBindings();
        final Bindings global = new SimpleBindings();
        final StringWriter out = new StringWriter();
        Writer err = new StringWriter();
        Reader in = new StringReader("");
        Writer w = out;

        @Override public void setBindings(Bindings bindings, int scope) { throw new UnsupportedOperationException(); }
        @Override public Bindings getBindings(int scope) { return scope == ENGINE_SCOPE ? engine : global; }
        @Override public void setAttribute(String name, Object value, int scope) { getBindings(scope).put(name, value); }
        @Override public Object getAttribute(String name, int scope) { return getBindings(scope).get(name); }
        @Override public Object removeAttribute(String name, int scope) { return getBindings(scope).remove(name); }
        @Override public Object getAttribute(String name) {
            return engine.containsKey(name) ? engine.get(name) : global.get(name);
        }
        @Override public int getAttributesScope(String name) {
            return engine.containsKey(name) ? ENGINE_SCOPE : global.containsKey(name) ? GLOBAL_SCOPE : -1;
        }
        @Override public Writer getWriter() { return w; }
        @Override public Writer getErrorWriter() { return err; }
        @Override public void setWriter(Writer writer) { w = writer; }
        @Override public void setErrorWriter(Writer writer) { err = writer; }
        @Override public Reader getReader() { return in; }
        @Override public void setReader(Reader reader) { in = reader; }
        @Override public List<Integer> getScopes() { return List.of(ENGINE_SCOPE, GLOBAL_SCOPE); }
    }
}
