package eplua.core.json;

import eplua.core.internal.task.Guard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * JSON codec for LuaJ values.
 *
 * <h2>Decoding</h2>
 * <ul>
 *   <li>objects become {@link LuaTable}s with string keys;</li>
 *   <li>arrays become sequences {@code 1..n}; an array with no non-null element gets a fresh
 *       metatable {@code {__jsontype = "array"}} so that it encodes back as {@code []};</li>
 *   <li>strings become {@link LuaString}s holding UTF-8 bytes (<code>&#92;uXXXX</code> escapes, including
 *       surrogate pairs, are converted to UTF-8; a lone surrogate becomes U+FFFD);</li>
 *   <li>numbers become {@link LuaInteger} when the value is integral and fits in an {@code int},
 *       otherwise a double;</li>
 *   <li>{@code null} becomes {@link LuaValue#NIL} (it vanishes from tables).</li>
 * </ul>
 * Errors are {@link LuaError}s naming the line, column (1-based) and offset (0-based) of the problem.
 *
 * <h2>Encoding</h2>
 * <ul>
 *   <li>a table whose keys are exactly {@code 1..n} ({@code n > 0}) is an array, anything else an
 *       object; an empty table is {@code {}}. A metatable field {@code __jsontype = "array"} forces an
 *       array of elements {@code 1..rawlen} (other keys ignored), {@code "object"} forces an object;</li>
 *   <li>object keys must be strings or numbers (numbers are written as strings);</li>
 *   <li>Lua strings are byte strings: valid UTF-8 is written as text, every other byte as
 *       <code>&#92;u00XX</code> of the byte value (never throws). A surrogate pair encoded as two 3-byte
 *       sequences (CESU-8, as produced by {@link LuaValue#valueOf(String)}) is accepted as the
 *       character it encodes;</li>
 *   <li>integral numbers with magnitude below 2^53 have no decimal point; NaN and infinities are
 *       errors;</li>
 *   <li>{@link #NULL} is written as {@code null}; functions, threads and other userdata are errors;</li>
 *   <li>cycles and nesting deeper than {@value #MAX_DEPTH} are errors.</li>
 * </ul>
 */
public final class Json {

    /** Maximum nesting depth of arrays/objects, for both encoding and decoding. */
    public static final int MAX_DEPTH = 1000;

    private static final Object NULL_TOKEN = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Sentinel exposed to scripts as {@code json.null}; encodes as JSON {@code null}. */
    public static final LuaValue NULL = new NullValue();

    private static final LuaString JSONTYPE = LuaString.valueOf("__jsontype");
    private static final LuaString ARRAY = LuaString.valueOf("array");
    private static final LuaString OBJECT = LuaString.valueOf("object");
    private static final double TWO_POW_53 = 9007199254740992.0;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** The characters with a short escape, and the letter after the backslash for each. */
    private static final String ESCAPED = "\"\\\n\r\t\b\f";
    private static final String ESCAPES = "\"\\nrtbf";

    private Json() {
    }

    /** Encodes {@code v} as compact JSON. */
    public static String encode(LuaValue v) {
        return encode(v, false);
    }

    /** Encodes {@code v} as JSON indented by two spaces per level, with object keys sorted. */
    public static String encodeFormatted(LuaValue v) {
        return encode(v, true);
    }

    private static String encode(LuaValue v, boolean pretty) {
        Encoder e = new Encoder(pretty);
        e.value(v == null ? LuaValue.NIL : v);
        return e.sb.toString();
    }

    /**
     * Parses JSON held in a Lua string, reading its bytes as UTF-8. Prefer this over
     * {@code decode(s.tojstring())}: LuaJ's own UTF-8 decoder mangles 4-byte sequences.
     */
    public static LuaValue decode(LuaString s) {
        return decode(s == null ? null : new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.UTF_8));
    }

    /**
     * Converts encoder output to a Lua string using standard UTF-8. Prefer this over
     * {@link LuaValue#valueOf(String)}, which writes characters outside the BMP as two 3-byte
     * surrogate sequences (CESU-8).
     */
    public static LuaString utf8(String s) {
        return LuaString.valueUsing(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses JSON text into Lua values. */
    public static LuaValue decode(String s) {
        if (s == null) {
            throw new LuaError("json.decode: expected a string, got nil");
        }
        return new Parser(s).parseDocument();
    }

    // ------------------------------------------------------------------------------------------
    // Encoder
    // ------------------------------------------------------------------------------------------

    private static final class NullValue extends LuaUserdata {
        NullValue() {
            super(NULL_TOKEN);
        }

        @Override
        public String tojstring() {
            return "null";
        }
    }

    private static final class Entry {
        final LuaString key;
        final LuaValue value;

        Entry(LuaString key, LuaValue value) {
            this.key = key;
            this.value = value;
        }
    }

    private static int compareBytes(LuaString a, LuaString b) {
        byte[] ab = a.m_bytes;
        byte[] bb = b.m_bytes;
        int ao = a.m_offset;
        int bo = b.m_offset;
        int n = Math.min(a.m_length, b.m_length);
        for (int i = 0; i < n; i++) {
            int x = ab[ao + i] & 0xff;
            int y = bb[bo + i] & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return a.m_length - b.m_length;
    }

    private static final class Encoder {
        final StringBuilder sb = new StringBuilder(256);
        final boolean pretty;
        LuaTable[] path = new LuaTable[16];
        int depth;

        Encoder(boolean pretty) {
            this.pretty = pretty;
        }

        void value(LuaValue v) {
            switch (v.type()) {
                case LuaValue.TNIL:
                    sb.append("null");
                    return;
                case LuaValue.TBOOLEAN:
                    sb.append(v.toboolean() ? "true" : "false");
                    return;
                case LuaValue.TNUMBER:
                    number(v);
                    return;
                case LuaValue.TSTRING:
                    string(v.checkstring());
                    return;
                case LuaValue.TTABLE:
                    table((LuaTable) v);
                    return;
                default:
                    if (v == NULL) {
                        sb.append("null");
                        return;
                    }
                    throw new LuaError("json.encode: unsupported value type " + v.typename());
            }
        }

        void number(LuaValue v) {
            if (v instanceof LuaInteger) {
                sb.append(v.toint());
                return;
            }
            double d = v.todouble();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new LuaError("json.encode: cannot encode non-finite number "
                        + (Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf"));
            }
            if (d == Math.rint(d) && Math.abs(d) < TWO_POW_53) {
                sb.append((long) d);
            } else {
                sb.append(Double.toString(d));
            }
        }

        void string(LuaString s) {
            final byte[] b = s.m_bytes;
            int i = s.m_offset;
            final int end = i + s.m_length;
            final StringBuilder sb = this.sb;
            sb.append('"');
            while (i < end) {
                int c = b[i] & 0xff;
                if (c < 0x80) {
                    if (c >= 0x20 && c != '"' && c != '\\') {
                        sb.append((char) c);
                    } else {
                        escapeAscii(c);
                    }
                    i++;
                    continue;
                }
                int n = utf8Length(b, i, end, c);
                if (n == 0) {
                    if (c == 0xed && isCesuPair(b, i, end)) {
                        // a surrogate pair encoded as two 3-byte sequences, as LuaValue.valueOf(String) does
                        sb.append((char) (0xd000 | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f)));
                        sb.append((char) (0xd000 | ((b[i + 4] & 0x3f) << 6) | (b[i + 5] & 0x3f)));
                        i += 6;
                        continue;
                    }
                    hexEscape(c);
                    i++;
                } else if (n == 2) {
                    sb.append((char) (((c & 0x1f) << 6) | (b[i + 1] & 0x3f)));
                    i += 2;
                } else if (n == 3) {
                    sb.append((char) (((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f)));
                    i += 3;
                } else {
                    int cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6)
                            | (b[i + 3] & 0x3f);
                    sb.append(Character.highSurrogate(cp)).append(Character.lowSurrogate(cp));
                    i += 4;
                }
            }
            sb.append('"');
        }

        /** Length of the well-formed UTF-8 sequence starting at {@code i} with lead byte {@code c}, or 0. */
        private static int utf8Length(byte[] b, int i, int end, int c) {
            if (c < 0xc2) {
                return 0; // continuation byte or overlong 2-byte lead
            }
            if (c < 0xe0) {
                return i + 1 < end && isCont(b[i + 1]) ? 2 : 0;
            }
            if (c < 0xf0) {
                if (i + 2 >= end) {
                    return 0;
                }
                int c1 = b[i + 1] & 0xff;
                int lo = c == 0xe0 ? 0xa0 : 0x80;      // no overlongs
                int hi = c == 0xed ? 0x9f : 0xbf;      // no surrogates
                return c1 >= lo && c1 <= hi && isCont(b[i + 2]) ? 3 : 0;
            }
            if (c < 0xf5) {
                if (i + 3 >= end) {
                    return 0;
                }
                int c1 = b[i + 1] & 0xff;
                int lo = c == 0xf0 ? 0x90 : 0x80;      // no overlongs
                int hi = c == 0xf4 ? 0x8f : 0xbf;      // nothing above U+10FFFF
                return c1 >= lo && c1 <= hi && isCont(b[i + 2]) && isCont(b[i + 3]) ? 4 : 0;
            }
            return 0;
        }

        /** True if {@code b[i..i+6)} is a CESU-8 high surrogate followed by a CESU-8 low surrogate. */
        private static boolean isCesuPair(byte[] b, int i, int end) {
            if (i + 5 >= end) {
                return false;
            }
            int c1 = b[i + 1] & 0xff;
            int c4 = b[i + 4] & 0xff;
            return c1 >= 0xa0 && c1 <= 0xaf && isCont(b[i + 2])
                    && (b[i + 3] & 0xff) == 0xed && c4 >= 0xb0 && c4 <= 0xbf && isCont(b[i + 5]);
        }

        private static boolean isCont(byte x) {
            return (x & 0xc0) == 0x80;
        }

        private void escapeAscii(int c) {
            int k = ESCAPED.indexOf(c);
            if (k >= 0) {
                sb.append('\\').append(ESCAPES.charAt(k));
            } else {
                hexEscape(c);
            }
        }

        private void hexEscape(int c) {
            sb.append("\\u00").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
        }

        void table(LuaTable t) {
            for (int i = 0; i < depth; i++) {
                if (path[i] == t) {
                    throw new LuaError("json.encode: cycle detected");
                }
            }
            if (depth >= MAX_DEPTH) {
                throw new LuaError("json.encode: nesting too deep (limit " + MAX_DEPTH + ")");
            }
            if (depth == path.length) {
                path = Arrays.copyOf(path, Math.min(path.length * 2, MAX_DEPTH));
            }
            path[depth++] = t;
            int n = arrayLength(t);
            if (n >= 0) {
                array(t, n);
            } else if (pretty) {
                sortedObject(t);
            } else {
                object(t);
            }
            path[--depth] = null;
        }

        /** Number of elements if {@code t} encodes as an array, or -1 if it encodes as an object. */
        private static int arrayLength(LuaTable t) {
            LuaValue mt = t.getmetatable();
            if (mt != null && mt.istable()) {
                LuaValue kind = mt.rawget(JSONTYPE);
                if (kind.raweq(ARRAY)) {
                    return t.rawlen();
                }
                if (kind.raweq(OBJECT)) {
                    return -1;
                }
            }
            int count = 0;
            int max = 0;
            for (Varargs kv = t.next(LuaValue.NIL); !kv.arg1().isnil(); kv = t.next(kv.arg1())) {
                LuaValue k = kv.arg1();
                if (!(k instanceof LuaInteger)) {
                    return -1;
                }
                int i = k.toint();
                if (i <= 0) {
                    return -1;
                }
                count++;
                if (i > max) {
                    max = i;
                }
            }
            return count > 0 && max == count ? count : -1;
        }

        private void array(LuaTable t, int n) {
            if (n == 0) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            for (int i = 1; i <= n; i++) {
                if (i > 1) {
                    sb.append(',');
                }
                if (pretty) {
                    newline();
                }
                value(t.rawget(i));
            }
            if (pretty) {
                newline(depth - 1);
            }
            sb.append(']');
        }

        private void object(LuaTable t) {
            sb.append('{');
            boolean first = true;
            for (Varargs kv = t.next(LuaValue.NIL); !kv.arg1().isnil(); kv = t.next(kv.arg1())) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                key(kv.arg1());
                sb.append(':');
                value(kv.arg(2));
            }
            sb.append('}');
        }

        private void sortedObject(LuaTable t) {
            Entry[] entries = new Entry[8];
            int n = 0;
            for (Varargs kv = t.next(LuaValue.NIL); !kv.arg1().isnil(); kv = t.next(kv.arg1())) {
                if (n == entries.length) {
                    entries = Arrays.copyOf(entries, n * 2);
                }
                entries[n++] = new Entry(keyString(kv.arg1()), kv.arg(2));
            }
            if (n == 0) {
                sb.append("{}");
                return;
            }
            Arrays.sort(entries, 0, n, (a, b) -> compareBytes(a.key, b.key));
            sb.append('{');
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                newline();
                string(entries[i].key);
                sb.append(": ");
                value(entries[i].value);
            }
            newline(depth - 1);
            sb.append('}');
        }

        private void key(LuaValue k) {
            int type = k.type();
            if (type == LuaValue.TSTRING) {
                string(k.checkstring());
            } else if (type == LuaValue.TNUMBER) {
                sb.append('"');
                number(k);
                sb.append('"');
            } else {
                throw new LuaError("json.encode: unsupported key type " + k.typename());
            }
        }

        private LuaString keyString(LuaValue k) {
            int type = k.type();
            if (type == LuaValue.TSTRING) {
                return k.checkstring();
            }
            if (type == LuaValue.TNUMBER) {
                int mark = sb.length();
                number(k);
                String s = sb.substring(mark);
                sb.setLength(mark);
                return LuaString.valueOf(s);
            }
            throw new LuaError("json.encode: unsupported key type " + k.typename());
        }

        private void newline() {
            newline(depth);
        }

        private void newline(int level) {
            sb.append('\n');
            for (int i = 0; i < level; i++) {
                sb.append("  ");
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Parser
    // ------------------------------------------------------------------------------------------

    private static final class Parser {
        final char[] buf;
        final int len;
        int pos;
        int depth;
        byte[] bytes = new byte[64];
        /** Values (and keys) of the containers being parsed, so tables can be created presized. */
        LuaValue[] stack = new LuaValue[64];
        int sp;
        /** The engine whose Lua decodes: its table size budget, and the work reported to it. */
        private final Guard guard = Guard.current();
        private final int maxEntries = guard.budgets().maxTable();

        Parser(String s) {
            buf = s.toCharArray();
            len = buf.length;
        }

        LuaValue parseDocument() {
            if (len > 0 && buf[0] == '\uFEFF') {
                pos = 1; // tolerate a byte order mark
            }
            skipWs();
            if (pos >= len) {
                throw fail("empty input", pos);
            }
            LuaValue v = value();
            skipWs();
            if (pos < len) {
                throw fail("unexpected trailing character " + describe(pos), pos);
            }
            return v;
        }

        private void skipWs() {
            final char[] b = buf;
            int p = pos;
            while (p < len) {
                char c = b[p];
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    p++;
                } else {
                    break;
                }
            }
            pos = p;
        }

        private LuaValue value() {
            if (pos >= len) {
                throw fail("unexpected end of input", pos);
            }
            char c = buf[pos];
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return LuaValue.TRUE;
                case 'f':
                    literal("false");
                    return LuaValue.FALSE;
                case 'n':
                    literal("null");
                    return LuaValue.NIL;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw unexpected(pos, null);
            }
        }

        private void literal(String word) {
            for (int i = 0; i < word.length(); i++) {
                int p = pos + i;
                if (p >= len) {
                    throw fail("unexpected end of input", p);
                }
                if (buf[p] != word.charAt(i)) {
                    throw unexpected(p, null);
                }
            }
            pos += word.length();
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw fail("nesting too deep (limit " + MAX_DEPTH + ")", pos);
            }
        }

        private LuaValue object() {
            enter();
            pos++; // '{'
            skipWs();
            if (pos < len && buf[pos] == '}') {
                pos++;
                depth--;
                return new LuaTable();
            }
            final int mark = sp;
            do {
                skipWs();
                if (pos >= len || buf[pos] != '"') {
                    throw unexpected(pos, "expected a string key");
                }
                LuaString key = string();
                skipWs();
                if (pos >= len || buf[pos] != ':') {
                    throw unexpected(pos, "expected ':'");
                }
                pos++;
                skipWs();
                LuaValue v = value();
                push(key);
                push(v);
                if (sp - mark > 2 * maxEntries) throw tooMany();
            } while (!closes('}', "expected ',' or '}'"));
            final LuaValue[] st = stack;
            LuaTable t = new LuaTable(0, (sp - mark) >> 1);
            for (int i = mark; i < sp; i += 2) {
                LuaValue key = st[i];
                LuaValue v = st[i + 1];
                if (!v.isnil()) {
                    t.rawset(key, v);
                } else if (!t.rawget(key).isnil()) {
                    t.rawset(key, LuaValue.NIL); // a later duplicate null wins
                }
                st[i] = null;
                st[i + 1] = null;
            }
            guard.work(1 + ((sp - mark) >> 3));
            sp = mark;
            depth--;
            return t;
        }

        private LuaValue array() {
            enter();
            pos++; // '['
            skipWs();
            final int mark = sp;
            if (pos < len && buf[pos] == ']') {
                pos++;
            } else {
                do {
                    skipWs();
                    push(value());
                    if (sp - mark > maxEntries) throw tooMany();
                } while (!closes(']', "expected ',' or ']'"));
            }
            final LuaValue[] st = stack;
            final int n = sp - mark;
            LuaTable t = new LuaTable(n, 0);
            int stored = 0;
            for (int i = 0; i < n; i++) {
                LuaValue v = st[mark + i];
                if (!v.isnil()) {
                    t.rawset(i + 1, v);
                    stored++;
                }
                st[mark + i] = null;
            }
            sp = mark;
            guard.work(1 + (n >> 2));
            if (stored == 0) {
                LuaTable mt = new LuaTable(0, 1);
                mt.rawset(JSONTYPE, ARRAY);
                t.setmetatable(mt);
            }
            depth--;
            return t;
        }

        /** After a member or element: consumes a ',' (false) or the {@code close} bracket (true). */
        private boolean closes(char close, String expected) {
            skipWs();
            if (pos < len) {
                char c = buf[pos];
                if (c == ',' || c == close) {
                    pos++;
                    return c == close;
                }
            }
            throw unexpected(pos, expected);
        }

        /** A table past the engine's table size budget. */
        private LuaError tooMany() {
            return fail("too many values (more than " + maxEntries + " in one table)", pos);
        }

        private void push(LuaValue v) {
            if (sp == stack.length) {
                stack = Arrays.copyOf(stack, sp * 2);
            }
            stack[sp++] = v;
        }

        private LuaString string() {
            final int start = pos; // opening quote
            final char[] b = buf;
            int p = pos + 1;
            int n = 0;
            byte[] out = bytes;
            while (true) {
                if (p >= len) {
                    throw fail("unterminated string starting", start);
                }
                char c = b[p];
                if (out.length - n < 4) {
                    out = bytes = Arrays.copyOf(out, out.length * 2);
                }
                if (c == '"') {
                    pos = p + 1;
                    return LuaString.valueOf(out, 0, n);
                }
                if (c == '\\') {
                    int esc = p;
                    if (++p >= len) {
                        throw fail("unterminated string starting", start);
                    }
                    char e = b[p++];
                    switch (e) {
                        case '"': out[n++] = '"'; break;
                        case '\\': out[n++] = '\\'; break;
                        case '/': out[n++] = '/'; break;
                        case 'b': out[n++] = '\b'; break;
                        case 'f': out[n++] = '\f'; break;
                        case 'n': out[n++] = '\n'; break;
                        case 'r': out[n++] = '\r'; break;
                        case 't': out[n++] = '\t'; break;
                        case 'u': {
                            int cp = hex4(p, esc, start);
                            p += 4;
                            if (Character.isHighSurrogate((char) cp)) {
                                if (p + 5 < len && b[p] == '\\' && b[p + 1] == 'u') {
                                    int lo = hex4(p + 2, p, start);
                                    if (Character.isLowSurrogate((char) lo)) {
                                        cp = Character.toCodePoint((char) cp, (char) lo);
                                        p += 6;
                                    } else {
                                        cp = 0xFFFD; // lone high surrogate; next escape handled normally
                                    }
                                } else {
                                    cp = 0xFFFD;
                                }
                            } else if (Character.isLowSurrogate((char) cp)) {
                                cp = 0xFFFD;
                            }
                            n = putCodePoint(out, n, cp);
                            break;
                        }
                        default:
                            throw fail("invalid escape '\\" + printable(e) + "'", esc);
                    }
                    continue;
                }
                if (c < 0x80) {
                    if (c < 0x20) {
                        throw fail("unescaped control character " + describe(p) + " in string", p);
                    }
                    out[n++] = (byte) c;
                    p++;
                } else if (c < 0x800) {
                    out[n++] = (byte) (0xc0 | (c >> 6));
                    out[n++] = (byte) (0x80 | (c & 0x3f));
                    p++;
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && p + 1 < len && Character.isLowSurrogate(b[p + 1])) {
                        n = putCodePoint(out, n, Character.toCodePoint(c, b[p + 1]));
                        p += 2;
                    } else {
                        n = putCodePoint(out, n, 0xFFFD);
                        p++;
                    }
                } else {
                    out[n++] = (byte) (0xe0 | (c >> 12));
                    out[n++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    out[n++] = (byte) (0x80 | (c & 0x3f));
                    p++;
                }
            }
        }

        /** Parses four hex digits at {@code p}; {@code esc} is the backslash position for errors. */
        private int hex4(int p, int esc, int start) {
            if (p + 4 > len) {
                // not enough characters left: either a bad escape or the string never ends
                for (int i = p; i < len; i++) {
                    if (hexValue(buf[i]) < 0) {
                        throw fail("invalid unicode escape '" + snippet(esc, i + 1) + "'", esc);
                    }
                }
                throw fail("unterminated string starting", start);
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int h = hexValue(buf[p + i]);
                if (h < 0) {
                    throw fail("invalid unicode escape '" + snippet(esc, p + i + 1) + "'", esc);
                }
                v = (v << 4) | h;
            }
            return v;
        }

        private static int hexValue(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        private static int putCodePoint(byte[] out, int n, int cp) {
            if (cp < 0x80) {
                out[n++] = (byte) cp;
            } else if (cp < 0x800) {
                out[n++] = (byte) (0xc0 | (cp >> 6));
                out[n++] = (byte) (0x80 | (cp & 0x3f));
            } else if (cp < 0x10000) {
                out[n++] = (byte) (0xe0 | (cp >> 12));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                out[n++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                out[n++] = (byte) (0xf0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                out[n++] = (byte) (0x80 | (cp & 0x3f));
            }
            return n;
        }

        private LuaValue number() {
            final char[] b = buf;
            final int start = pos;
            int p = pos;
            boolean neg = false;
            if (b[p] == '-') {
                neg = true;
                p++;
            }
            long acc = 0;
            int digits = 0;
            if (p < len && b[p] == '0') {
                p++;
                digits = 1;
            } else if (p < len && b[p] >= '1' && b[p] <= '9') {
                while (p < len && b[p] >= '0' && b[p] <= '9') {
                    if (digits < 18) {
                        acc = acc * 10 + (b[p] - '0');
                    }
                    digits++;
                    p++;
                }
            } else {
                throw badNumber(start);
            }
            boolean integral = true;
            if (p < len && b[p] == '.') {
                integral = false;
                p = requiredDigits(p + 1, start);
            }
            if (p < len && (b[p] == 'e' || b[p] == 'E')) {
                integral = false;
                p++;
                if (p < len && (b[p] == '+' || b[p] == '-')) {
                    p++;
                }
                p = requiredDigits(p, start);
            }
            if (p < len && isNumberChar(b[p])) {
                throw badNumber(start); // e.g. 01, 1.2.3, 1e5e
            }
            pos = p;
            if (integral && digits <= 18) {
                long v = neg ? -acc : acc;
                if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    return LuaInteger.valueOf((int) v);
                }
                return LuaValue.valueOf((double) v);
            }
            return LuaValue.valueOf(Double.parseDouble(new String(b, start, p - start)));
        }

        /** Skips the digits at {@code p} of a fraction or exponent (at least one) of the number at {@code start}. */
        private int requiredDigits(int p, int start) {
            final int from = p;
            while (p < len && buf[p] >= '0' && buf[p] <= '9') {
                p++;
            }
            if (p == from) {
                throw badNumber(start);
            }
            return p;
        }

        private static boolean isNumberChar(char c) {
            return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
        }

        private LuaError badNumber(int start) {
            int end = start + 1;
            while (end < len && end - start < 32 && isNumberChar(buf[end])) {
                end++;
            }
            return fail("invalid number '" + new String(buf, start, end - start) + "'", start);
        }

        private LuaError unexpected(int p, String expected) {
            if (p >= len) {
                return fail("unexpected end of input", p);
            }
            String msg = "unexpected character " + describe(p) + position(p);
            if (expected != null) {
                msg += "; " + expected;
            }
            return new LuaError("json.decode: " + msg);
        }

        private String describe(int p) {
            char c = buf[p];
            if (c >= 0x20 && c < 0x7f) {
                return "'" + c + "'";
            }
            int cp = Character.codePointAt(buf, p, len);
            String code = String.format("U+%04X", cp);
            if (Character.isISOControl(cp) || Character.isSurrogate(c) || !Character.isDefined(cp)
                    || Character.isWhitespace(cp)) {
                return code;
            }
            return "'" + new String(Character.toChars(cp)) + "' (" + code + ")";
        }

        private static String printable(char c) {
            return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("U+%04X", (int) c);
        }

        private String snippet(int from, int to) {
            StringBuilder s = new StringBuilder();
            for (int i = from; i < to && i < len; i++) {
                s.append(printable(buf[i]));
            }
            return s.toString();
        }

        private LuaError fail(String what, int p) {
            return new LuaError("json.decode: " + what + position(p));
        }

        private String position(int p) {
            int line = 1;
            int col = 1;
            for (int i = 0; i < p && i < len; i++) {
                if (buf[i] == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return " at line " + line + " column " + col + " (offset " + p + ")";
        }
    }
}
