package eplua.core.internal.engine;

import eplua.core.LuaScriptException;
import eplua.core.internal.lib.Console;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An engine's console: the writers and reader Lua's standard streams point at now (a javax.script context may change
 * them between calls), and where errors nobody awaited go. Any thread.
 */
public final class Reporter {
    private volatile Writer out;
    private volatile Writer err;
    private volatile Reader in;
    private volatile Consumer<LuaScriptException> errorHandler;

    /** Null arguments mean the process's standard streams and {@link #writeError}. */
    public Reporter(Writer out, Writer err, Reader in, Consumer<LuaScriptException> errorHandler) {
        PrintStream stdout = System.out, stderr = System.err; // the streams of now, as when the engine was made
        InputStream stdin = System.in;
        this.out = out != null ? out : Console.lazyWriter(
                () -> new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
        this.err = err != null ? err : Console.lazyWriter(
                () -> new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true));
        this.in = in != null ? in : Console.lazyReader(() -> new InputStreamReader(stdin, StandardCharsets.UTF_8));
        setErrorHandler(errorHandler);
    }

    public Writer out() {
        return out;
    }

    public Writer err() {
        return err;
    }

    public Reader in() {
        return in;
    }

    public void setOut(Writer w) {
        out = Objects.requireNonNull(w);
    }

    public void setErr(Writer w) {
        err = Objects.requireNonNull(w);
    }

    public void setIn(Reader r) {
        in = Objects.requireNonNull(r);
    }

    /** Null restores the default: the error writer. */
    public void setErrorHandler(Consumer<LuaScriptException> handler) {
        errorHandler = handler != null ? handler : this::writeError;
    }

    /** An error of a callback or task that nobody awaited, to the error handler; the loop goes on. */
    public void report(LuaScriptException e) {
        // DEBUG: the handler (by default the error writer) is where a script's errors are meant to be read
        eplua.core.internal.metrics.Logs.ENGINE.log(System.Logger.Level.DEBUG,
                () -> "eplua: error reported: " + e.describe());
        try {
            errorHandler.accept(e);
        } catch (RuntimeException x) {
            writeError(e);
        }
    }

    /** A diagnostic line on the error writer. */
    public void warn(String message) {
        try {
            err.write(message + System.lineSeparator());
            err.flush();
        } catch (IOException ignored) {
            // nowhere left to report it
        }
    }

    private void writeError(LuaScriptException e) {
        warn("eplua: " + e.describe());
    }
}
