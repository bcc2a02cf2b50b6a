package eplua.core;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua error seen from Java: the error value (a table error stays a table), the message with its chunk and line
 * ({@code dev/x.lua:12: boom}), and the Lua traceback when there is one. Never a raw {@link LuaError}.
 */
public class LuaScriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final String TRACEBACK = "\nstack traceback:";
    private static final Pattern LUAJ_POSITION = Pattern.compile("^([^\\n]*?:\\d+) (?!\\d)");
    private static final Pattern POSITION = Pattern.compile("^(.*?):(\\d+):? ", Pattern.DOTALL);

    private final transient LuaValue value;
    private final String traceback;
    private final String fileName;
    private final int lineNumber;

    public LuaScriptException(String message, LuaValue value, String traceback, String fileName, int lineNumber,
                              Throwable cause) {
        super(message, cause);
        this.value = value;
        this.traceback = traceback;
        this.fileName = fileName;
        this.lineNumber = lineNumber;
    }

    /** Builds the Java view of a LuaJ error. */
    public static LuaScriptException from(Throwable t) {
        if (t instanceof LuaScriptException) return (LuaScriptException) t;
        if (!(t instanceof LuaError)) {
            return new LuaScriptException(String.valueOf(t.getMessage() != null ? t.getMessage() : t), null, null,
                    null, -1, t);
        }
        LuaError e = (LuaError) t;
        String raw = e.getMessage();
        String traceback = null;
        String message = raw == null ? "nil" : raw;
        int cut = message.indexOf(TRACEBACK);
        if (cut >= 0) {
            traceback = message.substring(cut + 1);
            message = message.substring(0, cut);
        }
        message = positioned(e, message);
        String file = null;
        int line = -1;
        LuaValue obj = e.getMessageObject();
        if (e instanceof PositionedError) message = eplua.core.convert.LuaConvert.string(obj); // positioned already
        Matcher at = POSITION.matcher(message);
        if (at.find()) {
            file = at.group(1);
            line = Integer.parseInt(at.group(2));
        }
        LuaValue value = obj != null && !obj.isstring() ? obj : eplua.core.convert.LuaConvert.utf8Lua(message);
        if (obj != null && !obj.isstring()) message = String.valueOf(obj.tojstring());
        Throwable cause = e.getCause();
        return new LuaScriptException(message, value, traceback, file, line, cause);
    }

    /** The error value Lua code should see: strings lose LuaJ's appended traceback and get Lua's "file:line:" form. */
    public static LuaValue stripTraceback(LuaValue v) {
        if (v == null || !v.isstring() || v.isnumber()) return v;
        String s = v.tojstring();
        int cut = s.indexOf(TRACEBACK);
        String out = normalize(cut >= 0 ? s.substring(0, cut) : s);
        return out.equals(s) ? v : LuaValue.valueOf(out);
    }

    /**
     * A string error whose message already carries the position Lua's {@code error(msg, level)} asked for (or none
     * for level 0): LuaJ must not prefix another one.
     */
    public static final class PositionedError extends LuaError {
        private static final long serialVersionUID = 1L;

        public PositionedError(LuaValue message) {
            super(message);
        }
    }

    /** The plain message of a LuaJ error, as Lua's pcall should return it. */
    public static LuaValue messageValue(LuaError e) {
        LuaValue v = e.getMessageObject();
        if (v == null) return LuaValue.NIL;
        if (!v.isstring() || v.isnumber()) return v;
        String s = v.tojstring();
        int cut = s.indexOf(TRACEBACK);
        String out = positioned(e, cut >= 0 ? s.substring(0, cut) : s);
        return out.equals(s) ? v : LuaValue.valueOf(out);
    }

    /**
     * LuaJ's VM writes "source:12 msg" with the chunk's raw source; Lua writes "name:12: msg" with the name as
     * luaO_chunkid makes it ({@code =name} as {@code name}, {@code @file.lua} as {@code file.lua}). The position
     * LuaJ put in front is known exactly, so a name holding spaces, colons or newlines is no trouble.
     */
    static String positioned(LuaError e, String message) {
        String fileline = FILELINE == null || e instanceof PositionedError ? null : (String) FILELINE.get(e);
        if (fileline != null && message.startsWith(fileline + " ")) {
            int colon = fileline.lastIndexOf(':');
            if (colon > 0) {
                return eplua.core.internal.lib.ChunkId.named(fileline.substring(0, colon)) + fileline.substring(colon)
                        + ": " + message.substring(fileline.length() + 1);
            }
        }
        return normalize(message);
    }

    /** LuaJ's protected LuaError.fileline ("source:line"), or null where the JVM does not let us read it. */
    private static final java.lang.invoke.VarHandle FILELINE = filelineHandle();

    private static java.lang.invoke.VarHandle filelineHandle() {
        try {
            java.lang.invoke.MethodHandles.Lookup here = java.lang.invoke.MethodHandles.lookup();
            return java.lang.invoke.MethodHandles.privateLookupIn(LuaError.class, here).findVarHandle(LuaError.class, "fileline", String.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** LuaJ writes "chunk:12 msg"; Lua writes "chunk:12: msg" (for messages whose LuaError is gone). */
    static String normalize(String message) {
        Matcher m = LUAJ_POSITION.matcher(message);
        if (m.find() && !m.group(1).contains(": ")) {
            String at = m.group(1);
            int colon = at.lastIndexOf(':');
            return eplua.core.internal.lib.ChunkId.named(at.substring(0, colon)) + at.substring(colon) + ": "
                    + message.substring(m.end());
        }
        return message;
    }

    /** The Lua error value: a string, or whatever table or value the script raised. */
    public LuaValue value() {
        return value;
    }

    /** The Lua traceback ("stack traceback:\n..."), or null. */
    public String traceback() {
        return traceback;
    }

    /** The chunk name from the error position, or null. */
    public String fileName() {
        return fileName;
    }

    /** The line from the error position, or -1. */
    public int lineNumber() {
        return lineNumber;
    }

    /** Message and traceback, as reported to an error writer. */
    public String describe() {
        return traceback == null ? getMessage() : getMessage() + "\n" + traceback;
    }
}
