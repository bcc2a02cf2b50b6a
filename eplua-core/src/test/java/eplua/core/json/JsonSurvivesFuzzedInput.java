package eplua.core.json;

import eplua.core.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * json.decode against thousands of generated and mutated inputs (fixed seeds: a failure reproduces): JSON text made
 * at random decodes, and values made at random round-trip through encode and decode; every mutation of valid JSON
 * (byte flips, truncations, insertions, deletions, deep nesting) either decodes or raises a LuaError — never another
 * exception, and never longer than the per-case bound.
 */
class JsonSurvivesFuzzedInput {
    static final long SEED = 20_240_512L;
    static final int DOCUMENTS = 1500;
    static final int MUTATIONS_PER_DOCUMENT = 4;
    static final long CASE_BOUND_MS = 2_000;

    static ExecutorService worker;

    @BeforeAll
    static void startWorker() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "json-fuzz");
            t.setDaemon(true); // a case that hangs must not keep the JVM
            return t;
        });
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdownNow();
    }

    /** Decodes within the per-case bound: the value, or the LuaError raised; anything else fails the test. */
    static Object decode(byte[] input) {
        Future<LuaValue> f = worker.submit(() -> Json.decode(LuaString.valueUsing(input)));
        try {
            return f.get(CASE_BOUND_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return fail("decode took over " + CASE_BOUND_MS + " ms on " + show(input));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LuaError) return e.getCause();
            throw new AssertionError("decode threw " + e.getCause() + " on " + show(input), e.getCause());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static String show(byte[] input) {
        String s = new String(input, StandardCharsets.ISO_8859_1);
        return "'" + (s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " bytes)" : s) + "'";
    }

    // ---- valid JSON text at random ------------------------------------------------------------------------------

    static final class TextMaker {
        final Random r;
        final StringBuilder sb = new StringBuilder();

        TextMaker(Random r) {
            this.r = r;
        }

        String document() {
            sb.setLength(0);
            ws();
            value(0);
            ws();
            return sb.toString();
        }

        void ws() {
            int n = r.nextInt(4) == 0 ? r.nextInt(3) : 0;
            for (int i = 0; i < n; i++) sb.append(" \t\r\n".charAt(r.nextInt(4)));
        }

        void value(int depth) {
            int k = r.nextInt(depth > 5 ? 6 : 8);
            switch (k) {
                case 0: sb.append("null"); break;
                case 1: sb.append(r.nextBoolean() ? "true" : "false"); break;
                case 2: number(); break;
                case 3: case 4: string(); break;
                case 5: number(); break;
                case 6: array(depth); break;
                default: object(depth);
            }
        }

        void number() {
            if (r.nextBoolean()) sb.append('-');
            if (r.nextInt(5) == 0) sb.append('0');
            else sb.append(1 + r.nextInt(9)).append(r.nextInt(5) == 0 ? "" : String.valueOf(r.nextInt(1_000_000)));
            if (r.nextInt(3) == 0) sb.append('.').append(r.nextInt(100_000));
            if (r.nextInt(4) == 0) {
                sb.append(r.nextBoolean() ? 'e' : 'E');
                if (r.nextBoolean()) sb.append(r.nextBoolean() ? '+' : '-');
                sb.append(r.nextInt(400));
            }
        }

        void string() {
            sb.append('"');
            int n = r.nextInt(12);
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(10);
                if (k == 0) sb.append('\\').append("\"\\/bfnrt".charAt(r.nextInt(8)));
                else if (k == 1) sb.append(String.format("\\u%04x", r.nextInt(0xd800)));
                else if (k == 2) { // a surrogate pair as escapes, or a lone one (becomes U+FFFD)
                    sb.append(String.format("\\u%04x", 0xd800 + r.nextInt(0x400)));
                    if (r.nextInt(4) > 0) sb.append(String.format("\\u%04x", 0xdc00 + r.nextInt(0x400)));
                } else if (k == 3) sb.appendCodePoint(0x80 + r.nextInt(0xd800 - 0x80));
                else if (k == 4) sb.appendCodePoint(0x10000 + r.nextInt(0x10ffff - 0x10000));
                else {
                    char c = (char) (0x20 + r.nextInt(0x5f)); // printable ASCII, never a bare quote or backslash
                    sb.append(c == '"' || c == '\\' ? 'q' : c);
                }
            }
            sb.append('"');
        }

        void array(int depth) {
            sb.append('[');
            ws();
            int n = r.nextInt(5);
            for (int i = 0; i < n; i++) {
                if (i > 0) sb.append(',');
                ws();
                value(depth + 1);
                ws();
            }
            sb.append(']');
        }

        void object(int depth) {
            sb.append('{');
            ws();
            int n = r.nextInt(5);
            for (int i = 0; i < n; i++) {
                if (i > 0) sb.append(',');
                ws();
                string();
                ws();
                sb.append(':');
                ws();
                value(depth + 1);
                ws();
            }
            sb.append('}');
        }
    }

    // ---- Lua values at random (no nil in arrays, strings of valid UTF-8, finite numbers) --------------------------

    static LuaValue randomValue(Random r, int depth) {
        int k = r.nextInt(depth > 4 ? 4 : 6);
        switch (k) {
            case 0: return LuaValue.valueOf(r.nextBoolean());
            case 1: {
                int kind = r.nextInt(3);
                if (kind == 0) return LuaValue.valueOf(r.nextInt());
                if (kind == 1) return LuaValue.valueOf((double) (r.nextLong() >> r.nextInt(64)));
                return LuaValue.valueOf((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20));
            }
            case 2: case 3: {
                StringBuilder s = new StringBuilder();
                int n = r.nextInt(10);
                for (int i = 0; i < n; i++) {
                    int cp;
                    do {
                        cp = r.nextInt(4) == 0 ? r.nextInt(0x110000) : r.nextInt(0x80);
                    } while (cp >= 0xd800 && cp <= 0xdfff);
                    s.appendCodePoint(cp);
                }
                return Json.utf8(s.toString());
            }
            case 4: {
                LuaTable t = new LuaTable();
                int n = 1 + r.nextInt(4);
                for (int i = 1; i <= n; i++) t.rawset(i, randomValue(r, depth + 1));
                return t;
            }
            default: {
                LuaTable t = new LuaTable();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) t.rawset(Json.utf8("k" + r.nextInt(50)), randomValue(r, depth + 1));
                return t;
            }
        }
    }

    // ---- mutations ----------------------------------------------------------------------------------------------

    static final byte[] ALPHABET = "{}[]\",:\\0123456789.eE+-tfnul \t\r\n\u0001\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    static byte[] mutate(Random r, byte[] in) {
        byte[] b = in.clone();
        switch (r.nextInt(5)) {
            case 0: // flip bits of a few bytes
                for (int i = 0, n = 1 + r.nextInt(3); i < n && b.length > 0; i++) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                return b;
            case 1: // truncate
                return java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            case 2: { // insert a few bytes
                int at = r.nextInt(b.length + 1);
                int n = 1 + r.nextInt(4);
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at);
                for (int i = 0; i < n; i++) out[at + i] = r.nextBoolean() ? ALPHABET[r.nextInt(ALPHABET.length)] : (byte) r.nextInt(256);
                System.arraycopy(b, at, out, at + n, b.length - at);
                return out;
            }
            case 3: { // delete a span
                if (b.length == 0) return b;
                int at = r.nextInt(b.length);
                int n = Math.min(b.length - at, 1 + r.nextInt(4));
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + n, out, at, b.length - at - n);
                return out;
            }
            default: { // duplicate a span
                if (b.length == 0) return b;
                int at = r.nextInt(b.length);
                int n = Math.min(b.length - at, 1 + r.nextInt(8));
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at + n);
                System.arraycopy(b, at, out, at + n, b.length - at);
                return out;
            }
        }
    }

    // ---- the tests ----------------------------------------------------------------------------------------------

    @Test
    void randomJsonTextDecodesAndItsMutationsDecodeOrRaise() {
        Random r = new Random(SEED);
        TextMaker maker = new TextMaker(r);
        int decoded = 0, raised = 0;
        for (int d = 0; d < DOCUMENTS; d++) {
            byte[] doc = maker.document().getBytes(StandardCharsets.UTF_8);
            Object v = decode(doc);
            if (v instanceof LuaError) fail("valid JSON rejected (" + ((LuaError) v).getMessage() + "): " + show(doc));
            for (int m = 0; m < MUTATIONS_PER_DOCUMENT; m++) {
                byte[] bad = mutate(r, doc);
                Object x = decode(bad);
                if (x instanceof LuaError) {
                    raised++;
                    String msg = ((LuaError) x).getMessage();
                    assertTrue(msg.startsWith("json.decode: "), msg + " on " + show(bad));
                } else {
                    decoded++;
                }
            }
        }
        // the mutations exercise both outcomes
        assertTrue(raised > DOCUMENTS && decoded > DOCUMENTS / 10, "raised " + raised + ", decoded " + decoded);
    }

    @Test
    void randomValuesRoundTripThroughEncodeAndDecode() {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < DOCUMENTS; i++) {
            LuaValue v = randomValue(r, 0);
            String text = Json.encode(v);
            Object back = decode(text.getBytes(StandardCharsets.UTF_8));
            if (back instanceof LuaError) fail("encoder output rejected (" + ((LuaError) back).getMessage() + "): " + text);
            assertEquals(Json.encodeFormatted(v), Json.encodeFormatted((LuaValue) back), "round trip of " + text);
        }
    }

    @Test
    void deepNestingRaisesWithinTheBound() {
        for (String open : new String[] {"[", "{\"a\":", "[{\"a\":"}) {
            for (int depth : new int[] {Json.MAX_DEPTH, Json.MAX_DEPTH + 1, 100_000}) {
                byte[] in = open.repeat(depth).getBytes(StandardCharsets.UTF_8);
                Object x = decode(in);
                assertTrue(x instanceof LuaError, "unterminated nesting " + depth + " of " + open);
            }
        }
        // closed nesting at the limit decodes, one more level raises
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertTrue(decode(ok.getBytes(StandardCharsets.UTF_8)) instanceof LuaTable);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        Object x = decode(deep.getBytes(StandardCharsets.UTF_8));
        assertTrue(x instanceof LuaError && ((LuaError) x).getMessage().contains("nesting too deep"), String.valueOf(x));
    }

    @Test
    void randomBytesDecodeOrRaise() {
        Random r = new Random(SEED + 2);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(64)];
            for (int j = 0; j < b.length; j++) b[j] = r.nextBoolean() ? ALPHABET[r.nextInt(ALPHABET.length)] : (byte) r.nextInt(256);
            decode(b);
        }
    }

    /** The Lua face: pcall(json.decode, s) gives false and a "json.decode: ..." message for broken input. */
    @Test
    void luaSeesCleanErrors() throws Exception {
        Random r = new Random(SEED + 3);
        TextMaker maker = new TextMaker(r);
        LuaTable inputs = new LuaTable();
        for (int i = 1; i <= 300; i++) inputs.rawset(i, LuaString.valueUsing(mutate(r, maker.document().getBytes(StandardCharsets.UTF_8))));
        try (Engine engine = Engine.builder().keepJvmAlive(false).build()) {
            engine.call(() -> {
                engine.globals().set("inputs", inputs);
                return null;
            });
            Varargs out = engine.eval("local bad, good = 0, 0\n"
                    + "for _, s in ipairs(inputs) do\n"
                    + "  local ok, v = pcall(json.decode, s)\n"
                    + "  if ok then good = good + 1\n"
                    + "  elseif type(v) == 'string' and v:find('json.decode: ', 1, true) then bad = bad + 1\n"
                    + "  else error('unclean error for ' .. s .. ': ' .. tostring(v)) end\n"
                    + "end\n"
                    + "return bad, good", "fuzz.lua").get(30, TimeUnit.SECONDS);
            assertEquals(300, out.arg1().toint() + out.arg(2).toint());
            assertTrue(out.arg1().toint() > 0, "some inputs were broken");
        }
    }
}
