package eplua.cli;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.compiler.LuaC;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syntax checks for the REPL: complete, incomplete (more lines may fix it) or wrong.
 *
 * <p>LuaJ 3.0.1 drops Lua's {@code near '<eof>'} from its messages ({@code for i=1,3 do} fails with just
 * {@code 'end' expected}), so "incomplete" cannot be read off the message. Instead the chunk is parsed again with a
 * newline appended: an error at the end of the input moves to the next line, an error in the middle stays put.
 * Messages that do name {@code <eof>} (other Lua versions) count as incomplete too.
 */
final class LuaSyntax {
    private static final Pattern LINE = Pattern.compile(":(\\d+): ");

    enum Status { COMPLETE, INCOMPLETE, ERROR }

    /** The outcome of a check; {@code message} is the compiler's error for {@link Status#ERROR}. */
    static final class Result {
        final Status status;
        final String message;

        Result(Status status, String message) {
            this.status = status;
            this.message = message;
        }
    }

    private LuaSyntax() {}

    static Result check(String code, String chunkName) {
        String first = parse(code, chunkName);
        if (first == null) return new Result(Status.COMPLETE, null);
        if (first.contains("<eof>")) return new Result(Status.INCOMPLETE, first);
        String second = parse(code + "\n", chunkName);
        if (second != null && line(second) > line(first)) return new Result(Status.INCOMPLETE, first);
        return new Result(Status.ERROR, first);
    }

    /** Null when {@code code} compiles, otherwise the compiler's message. */
    static String parse(String code, String chunkName) {
        try {
            LuaC.instance.compile(new ByteArrayInputStream(code.getBytes(StandardCharsets.UTF_8)), chunkName);
            return null;
        } catch (LuaError e) {
            return e.getMessage();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int line(String message) {
        Matcher m = LINE.matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
