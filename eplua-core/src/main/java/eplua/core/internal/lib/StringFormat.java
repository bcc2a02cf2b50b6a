package eplua.core.internal.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * {@code string.format} as C Lua 5.2 defines it: the flags {@code -+ #0}, width and precision (two digits each) for
 * every directive, {@code %a}, {@code %q}, and C's printf output for numbers (round-half-even on the exact binary
 * value, C's {@code %e}/{@code %g}/{@code %a} forms). LuaJ 3.0.1's ignores width and precision and prints Java's
 * number forms. Works on bytes: the format and {@code %s} strings may hold any byte, zeros included.
 *
 * <p>Deliberate differences from C Lua 5.2: {@code %s} does not stop at an embedded zero (C's sprintf does when a
 * width or precision is given, or the string is shorter than 100 bytes); NaN prints without a sign ({@code nan}, as
 * LuaJ's tostring prints it; glibc prints the sign bit: {@code -nan} for x86's 0/0); argument numbers are not shifted
 * for method calls ({@code ("%d"):format(x)} names x argument #2, C #1).
 */
public final class StringFormat extends VarArgFunction {
    private static final String FLAGS = "-+ #0";

    public StringFormat() {
        name = "format";
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue first = args.arg1();
        if (!first.isstring()) throw LibArgs.typeError("format", args, 1, "string");
        LuaString fmt = first.strvalue();
        byte[] f = fmt.m_bytes;
        int p = fmt.m_offset;
        int end = p + fmt.m_length;
        Bytes out = new Bytes(fmt.m_length + 16);
        int arg = 1;
        int top = args.narg();
        Spec s = new Spec();
        while (p < end) {
            byte c = f[p++];
            if (c != '%') {
                out.add(c);
                continue;
            }
            if (p < end && f[p] == '%') {
                out.add((byte) '%');
                p++;
                continue;
            }
            if (++arg > top) throw argError(arg, "no value"); // checked before the directive, as C does
            p = s.scan(f, p, end);
            switch (s.conv) {
                case 'c':
                    out.pad(s, "", new byte[] {(byte) cLong(number(args, arg))}, false);
                    break;
                case 'd': case 'i':
                    signedInteger(out, s, number(args, arg), arg);
                    break;
                case 'o': case 'u': case 'x': case 'X':
                    unsignedInteger(out, s, number(args, arg), arg);
                    break;
                case 'e': case 'E': case 'f': case 'g': case 'G': case 'a': case 'A':
                    floating(out, s, number(args, arg));
                    break;
                case 'q':
                    quoted(out, args, arg);
                    break;
                case 's': {
                    LuaString v = toLuaString(args.arg(arg));
                    int n = s.prec >= 0 && s.prec < v.m_length ? s.prec : v.m_length;
                    out.pad(s, "", v.m_bytes, v.m_offset, n, false);
                    break;
                }
                default:
                    throw new LuaError("invalid option '%" + (char) (s.conv & 0xFF) + "' to 'format'");
            }
        }
        return out.toLuaString();
    }

    /** One parsed directive: flags, width, precision (-1: none), conversion. */
    private static final class Spec {
        boolean left;
        boolean plus;
        boolean space;
        boolean alt;
        boolean zero;
        int width;
        int prec;
        int conv;

        /** Parses the directive after '%' at {@code p} as C Lua's scanformat does; returns where the text goes on. */
        int scan(byte[] f, int p, int end) {
            left = plus = space = alt = zero = false;
            int start = p;
            int c;
            while ((c = at(f, p, end)) != 0 && FLAGS.indexOf(c) >= 0) {
                switch (c) {
                    case '-': left = true; break;
                    case '+': plus = true; break;
                    case ' ': space = true; break;
                    case '#': alt = true; break;
                    default: zero = true; break;
                }
                p++;
            }
            if (p - start > FLAGS.length()) throw new LuaError("invalid format (repeated flags)");
            width = 0;
            for (int i = 0; i < 2 && isDigit(at(f, p, end)); i++) width = width * 10 + (f[p++] - '0');
            prec = -1;
            if (at(f, p, end) == '.') {
                p++;
                prec = 0;
                for (int i = 0; i < 2 && isDigit(at(f, p, end)); i++) prec = prec * 10 + (f[p++] - '0');
            }
            if (isDigit(at(f, p, end))) throw new LuaError("invalid format (width or precision too long)");
            conv = at(f, p, end);
            return p + 1;
        }

        /** C reads the string's terminating zero past the end. */
        private static int at(byte[] f, int p, int end) {
            return p < end ? f[p] & 0xFF : 0;
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }
    }

    // ---- integers ------------------------------------------------------------------------------------------------

    /** %d %i: C Lua 5.2 converts to long long and refuses a value that is not within 1 of the result. */
    private static void signedInteger(Bytes out, Spec s, double n, int arg) {
        long v = cLong(n);
        double diff = n - (double) v;
        if (!(-1 < diff && diff < 1)) throw argError(arg, "not a number in proper range");
        String sign = v < 0 ? "-" : s.plus ? "+" : s.space ? " " : "";
        String digits = v < 0 ? Long.toUnsignedString(-v) : Long.toString(v);
        integer(out, s, sign, "", digits, v == 0);
    }

    /** %o %u %x %X: converted as x86-64 converts a double to unsigned long long, then checked as C Lua 5.2 does. */
    private static void unsignedInteger(Bytes out, Spec s, double n, int arg) {
        long v = n < 0x1p63 ? cLong(n) : cLong(n - 0x1p63) ^ Long.MIN_VALUE;
        double back = v >= 0 ? (double) v : ((double) ((v >>> 1) | (v & 1))) * 2.0;
        double diff = n - back;
        if (!(-1 < diff && diff < 1)) throw argError(arg, "not a non-negative number in proper range");
        String digits;
        String prefix = "";
        switch (s.conv) {
            case 'o':
                digits = Long.toOctalString(v);
                break;
            case 'u':
                digits = Long.toUnsignedString(v);
                break;
            default:
                digits = Long.toHexString(v);
                if (s.conv == 'X') digits = digits.toUpperCase(java.util.Locale.ROOT);
                if (s.alt && v != 0) prefix = s.conv == 'X' ? "0X" : "0x";
        }
        integer(out, s, "", prefix, digits, v == 0);
    }

    private static void integer(Bytes out, Spec s, String sign, String prefix, String digits, boolean isZero) {
        if (s.prec >= 0) {
            if (s.prec == 0 && isZero) digits = "";
            else if (digits.length() < s.prec) digits = "0".repeat(s.prec - digits.length()) + digits;
        }
        if (s.conv == 'o' && s.alt && (digits.isEmpty() || digits.charAt(0) != '0')) digits = "0" + digits;
        out.pad(s, sign + prefix, ascii(digits), s.prec < 0);
    }

    /** A double converted to long as x86-64's cvttsd2si does: out-of-range values and NaN give Long.MIN_VALUE. */
    static long cLong(double n) {
        return n >= -0x1p63 && n < 0x1p63 ? (long) n : Long.MIN_VALUE;
    }

    // ---- floating point -------------------------------------------------------------------------------------------

    private static void floating(Bytes out, Spec s, double n) {
        boolean upper = s.conv == 'E' || s.conv == 'G' || s.conv == 'A';
        boolean negative = !Double.isNaN(n) && (Double.doubleToRawLongBits(n) < 0);
        String sign = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
        double a = Math.abs(n);
        if (Double.isNaN(n) || Double.isInfinite(n)) {
            String body = Double.isNaN(n) ? "nan" : "inf";
            out.pad(s, sign, ascii(upper ? body.toUpperCase(java.util.Locale.ROOT) : body), false);
            return;
        }
        String prefix = "";
        String body;
        switch (s.conv) {
            case 'f':
                body = fixed(a, s.prec < 0 ? 6 : s.prec, s.alt);
                break;
            case 'e': case 'E':
                body = exponential(a, s.prec < 0 ? 6 : s.prec, s.alt, upper);
                break;
            case 'g': case 'G':
                body = general(a, s.prec, s.alt, upper);
                break;
            default:
                prefix = upper ? "0X" : "0x";
                body = hex(a, s.prec, s.alt, upper);
        }
        out.pad(s, sign + prefix, ascii(body), true);
    }

    /** %f of a finite non-negative value: the exact binary value rounded half-even, as glibc does. */
    static String fixed(double a, int prec, boolean alt) {
        long q = prec <= 18 ? scaledRound(a, prec) : -1;
        String r;
        if (q >= 0) {
            String digits = Long.toString(q);
            if (digits.length() <= prec) digits = "0".repeat(prec + 1 - digits.length()) + digits;
            int point = digits.length() - prec;
            r = prec == 0 ? digits : digits.substring(0, point) + "." + digits.substring(point);
        } else {
            r = new BigDecimal(a).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
        }
        return prec == 0 && alt ? r + "." : r;
    }

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
    }

    /**
     * The finite non-negative {@code a} times 10^d (d in 0..18) rounded half-even to an integer, computed exactly in
     * 128 bits (mantissa times 10^d, shifted by the binary exponent); -1 when the result may not fit a long. The fast
     * path of %f, %e, %g and tostring; BigDecimal does the rest.
     */
    static long scaledRound(double a, int d) {
        long bits = Double.doubleToRawLongBits(a);
        int biased = (int) (bits >>> 52) & 0x7ff;
        long m = bits & ((1L << 52) - 1);
        int e = biased == 0 ? -1074 : biased - 1075;
        if (biased != 0) m |= 1L << 52;
        if (m == 0) return 0;
        long p = POW10[d];
        long hi = Math.multiplyHigh(m, p); // m < 2^53, p < 2^60: the product fits 113 bits
        long lo = m * p;
        if (e >= 0) {
            if (hi != 0 || e > 62 || lo >>> (62 - e) != 0) return -1;
            return lo << e;
        }
        int s = -e;
        if (s >= 128) return 0; // below 2^-15
        long q;
        int cmp; // the shifted-out bits against half a unit
        if (s < 64) {
            if (hi >>> s != 0) return -1;
            q = (lo >>> s) | (hi << (64 - s));
            long rem = lo & ((1L << s) - 1);
            cmp = Long.compareUnsigned(rem, 1L << (s - 1));
        } else if (s == 64) {
            q = hi;
            cmp = Long.compareUnsigned(lo, Long.MIN_VALUE);
        } else {
            q = hi >>> (s - 64);
            long remHi = hi & ((1L << (s - 64)) - 1);
            long halfHi = 1L << (s - 65);
            cmp = remHi != halfHi ? Long.compare(remHi, halfHi) : lo != 0 ? 1 : 0;
        }
        if (q < 0) return -1;
        if (cmp > 0 || cmp == 0 && (q & 1) == 1) q++;
        return q;
    }

    /** %e: d.ddde+XX with at least two exponent digits. */
    static String exponential(double a, int prec, boolean alt, boolean upper) {
        Digits d = Digits.of(a, prec + 1);
        StringBuilder sb = new StringBuilder(prec + 8);
        sb.append(d.digits.charAt(0));
        if (prec > 0 || alt) sb.append('.');
        sb.append(d.digits, 1, d.digits.length());
        return exponent(sb, d.exp, upper);
    }

    private static String exponent(StringBuilder sb, int exp, boolean upper) {
        sb.append(upper ? 'E' : 'e').append(exp < 0 ? '-' : '+');
        int e = Math.abs(exp);
        if (e < 10) sb.append('0');
        return sb.append(e).toString();
    }

    /** %g: %e or %f by the exponent after rounding to P significant digits, trailing zeros removed unless '#'. */
    static String general(double a, int prec, boolean alt, boolean upper) {
        int p = prec < 0 ? 6 : prec == 0 ? 1 : prec;
        Digits d = Digits.of(a, p);
        String body;
        if (d.exp < p && d.exp >= -4) {
            body = fixed(a, p - 1 - d.exp, alt);
            if (!alt) body = stripZeros(body);
            return body;
        }
        StringBuilder sb = new StringBuilder(p + 8);
        sb.append(d.digits.charAt(0));
        String rest = d.digits.substring(1);
        if (!alt) rest = stripTrailing(rest);
        if (!rest.isEmpty() || alt) sb.append('.');
        sb.append(rest);
        return exponent(sb, d.exp, upper);
    }

    private static String stripZeros(String fixed) {
        if (fixed.indexOf('.') < 0) return fixed;
        String r = stripTrailing(fixed);
        return r.endsWith(".") ? r.substring(0, r.length() - 1) : r;
    }

    private static String stripTrailing(String s) {
        int n = s.length();
        while (n > 0 && s.charAt(n - 1) == '0') n--;
        return s.substring(0, n);
    }

    /** The first {@code count} significant decimal digits of a finite non-negative value (rounded half-even). */
    private static final class Digits {
        final String digits;
        final int exp;

        private Digits(String digits, int exp) {
            this.digits = digits;
            this.exp = exp;
        }

        static Digits of(double a, int count) {
            if (a == 0) return new Digits("0".repeat(count), 0);
            if (count <= 17) {
                // exact in 128 bits when the scale fits: estimate the exponent, correct it by the rounded result
                int exp = (int) Math.floor(Math.log10(a));
                for (int tries = 0; tries < 3; tries++) {
                    int d = count - 1 - exp;
                    if (d < 0 || d > 18) break;
                    long q = scaledRound(a, d);
                    if (q < 0) break;
                    if (q >= POW10[count]) exp++;
                    else if (q < POW10[count - 1]) exp--;
                    else return new Digits(Long.toString(q), exp);
                }
            }
            BigDecimal r = new BigDecimal(a).round(new MathContext(count, RoundingMode.HALF_EVEN));
            String u = r.unscaledValue().toString();
            int exp = u.length() - 1 - r.scale();
            if (u.length() < count) u = u + "0".repeat(count - u.length());
            else if (u.length() > count) u = u.substring(0, count); // only zeros past count
            return new Digits(u, exp);
        }
    }

    /** %a: glibc's hexadecimal form (0x1.8p+0; subnormals as 0x0.xxxp-1022), rounded half-even to the precision. */
    static String hex(double a, int prec, boolean alt, boolean upper) {
        long bits = Double.doubleToRawLongBits(a);
        int biased = (int) (bits >>> 52) & 0x7ff;
        long mant = bits & ((1L << 52) - 1);
        long lead = a == 0 || biased == 0 ? 0 : 1;
        int exp = a == 0 ? 0 : biased == 0 ? -1022 : biased - 1023;
        String frac;
        if (prec < 0) {
            frac = stripTrailing(hexDigits(mant, 13));
        } else if (prec >= 13) {
            frac = hexDigits(mant, 13) + "0".repeat(prec - 13);
        } else {
            long all = lead << 52 | mant;
            int shift = (13 - prec) * 4;
            long kept = all >>> shift;
            long rest = all & ((1L << shift) - 1);
            long half = 1L << (shift - 1);
            if (rest > half || rest == half && (kept & 1) == 1) kept++;
            lead = kept >>> (prec * 4);
            frac = prec == 0 ? "" : hexDigits(kept & ((1L << (prec * 4)) - 1), prec);
        }
        StringBuilder sb = new StringBuilder(24);
        sb.append(Long.toHexString(lead));
        if (!frac.isEmpty() || alt) sb.append('.');
        sb.append(frac).append('p').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
        String r = sb.toString();
        return upper ? r.toUpperCase(java.util.Locale.ROOT) : r;
    }

    private static String hexDigits(long v, int count) {
        String h = Long.toHexString(v);
        return h.length() < count ? "0".repeat(count - h.length()) + h : h;
    }

    /** Lua 5.2's number-to-string conversion ({@code %.14g}): {@code 1e+100}, {@code 0.33333333333333}. */
    public static String numberToString(double n) {
        if (n == (int) n && (n != 0 || 1 / n > 0)) return Integer.toString((int) n);
        if (Double.isNaN(n)) return "nan";
        if (Double.isInfinite(n)) return n > 0 ? "inf" : "-inf";
        return (Double.doubleToRawLongBits(n) < 0 ? "-" : "") + general(Math.abs(n), 14, false, false);
    }

    // ---- strings ---------------------------------------------------------------------------------------------------

    /** %q: C Lua 5.2's quoting ("\\\n" for a newline, "\ddd" for zeros and control characters). */
    private static void quoted(Bytes out, Varargs args, int arg) {
        LuaString s = LibArgs.string("format", args, arg);
        out.add((byte) '"');
        byte[] b = s.m_bytes;
        for (int i = s.m_offset, end = i + s.m_length; i < end; i++) {
            int c = b[i] & 0xFF;
            if (c == '"' || c == '\\' || c == '\n') {
                out.add((byte) '\\');
                out.add((byte) c);
            } else if (c < 32 || c == 127) {
                boolean digitNext = i + 1 < end && b[i + 1] >= '0' && b[i + 1] <= '9';
                out.addAscii(digitNext ? String.format("\\%03d", c) : "\\" + c);
            } else {
                out.add((byte) c);
            }
        }
        out.add((byte) '"');
    }

    /** luaL_tolstring: {@code __tostring}, or the value's own string form (numbers as Lua 5.2 writes them). */
    static LuaString toLuaString(LuaValue v) {
        LuaValue h = v.metatag(LuaValue.TOSTRING);
        if (!h.isnil()) {
            LuaValue r = h.call(v);
            if (!r.isstring()) throw new LuaError("'__tostring' must return a string");
            v = r;
        }
        switch (v.type()) {
            case LuaValue.TNUMBER: return LuaValue.valueOf(numberToString(v.todouble()));
            case LuaValue.TSTRING: return v.strvalue();
            default: return LuaValue.valueOf(v.tojstring());
        }
    }

    // ---- arguments -------------------------------------------------------------------------------------------------

    private static double number(Varargs args, int arg) {
        return LibArgs.number("format", args, arg);
    }

    private static LuaError argError(int arg, String message) {
        return LibArgs.error("format", arg, message);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- output ----------------------------------------------------------------------------------------------------

    /** The result being built, within the engine's string size limit. */
    /** The result, with the padding of a conversion's field width. */
    private static final class Bytes extends ByteBuilder {
        Bytes(int capacity) {
            super(capacity);
        }

        void pad(Spec s, String prefix, byte[] body, boolean zeroPad) {
            pad(s, prefix, body, 0, body.length, zeroPad);
        }

        /** prefix + body in the field width: left-justified, zero-filled after the prefix, or right-justified. */
        void pad(Spec s, String prefix, byte[] body, int off, int n, boolean zeroPad) {
            int fill = s.width - prefix.length() - n;
            if (s.left) {
                addAscii(prefix);
                add(body, off, n);
                fill((byte) ' ', fill);
            } else if (s.zero && zeroPad) {
                addAscii(prefix);
                fill((byte) '0', fill);
                add(body, off, n);
            } else {
                fill((byte) ' ', fill);
                addAscii(prefix);
                add(body, off, n);
            }
        }
    }
}
