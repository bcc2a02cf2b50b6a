package eplua.core.internal.lib;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * %f, %e, %g and tostring take an exact 128-bit fast path where the scale allows, BigDecimal elsewhere: both must
 * give the same digits for any double, ties and carries included.
 */
class StringFormatFastPathTest {
    @Test
    void fixedMatchesBigDecimalOnRandomAndTieValues() {
        SplittableRandom r = new SplittableRandom(52);
        for (int i = 0; i < 40_000; i++) {
            double a = sample(r);
            int prec = r.nextInt(19);
            assertEquals(new BigDecimal(a).setScale(prec, RoundingMode.HALF_EVEN).toPlainString(),
                    StringFormat.fixed(a, prec, false), () -> a + " %." + prec + "f");
        }
    }

    @Test
    void exponentialMatchesBigDecimalOnRandomAndTieValues() {
        SplittableRandom r = new SplittableRandom(25);
        for (int i = 0; i < 40_000; i++) {
            double a = sample(r);
            int prec = r.nextInt(17);
            assertEquals(exponentialByBigDecimal(a, prec), StringFormat.exponential(a, prec, false, false),
                    () -> a + " %." + prec + "e");
        }
    }

    @Test
    void numbersConvertAsLua52WritesThem() {
        assertEquals("0.33333333333333", StringFormat.numberToString(1.0 / 3));
        assertEquals("1e+15", StringFormat.numberToString(1e15));
        assertEquals("99999999999999", StringFormat.numberToString(99999999999999.0));
        assertEquals("1e+14", StringFormat.numberToString(99999999999999.9));
        assertEquals("0.0001", StringFormat.numberToString(1e-4));
        assertEquals("1e-05", StringFormat.numberToString(1e-5));
        assertEquals("-0", StringFormat.numberToString(-0.0));
        assertEquals("2.5", StringFormat.numberToString(2.5));
        assertEquals("4.9406564584125e-324", StringFormat.numberToString(Double.MIN_VALUE));
        assertEquals("1.7976931348623e+308", StringFormat.numberToString(Double.MAX_VALUE));
    }

    /** Doubles of every magnitude, half of them short decimals (ties such as 2.5 or 0.125 and their neighbours). */
    private static double sample(SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0: { // any finite bits
                double d;
                do d = Double.longBitsToDouble(r.nextLong() & Long.MAX_VALUE); while (Double.isNaN(d) || Double.isInfinite(d));
                return d;
            }
            case 1: return r.nextInt(1_000_000) / Math.pow(10, r.nextInt(8)) + 0.5 * Math.pow(10, -r.nextInt(8));
            case 2: return r.nextInt(1 << 20) / (double) (1 << r.nextInt(21)); // exact binary fractions: ties
            default: return Math.scalb(1 + r.nextDouble(), r.nextInt(-80, 80));
        }
    }

    private static String exponentialByBigDecimal(double a, int prec) {
        if (a == 0 || Double.isNaN(a) || Double.isInfinite(a)) return StringFormat.exponential(a, prec, false, false);
        BigDecimal b = new BigDecimal(a).round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
        String u = b.unscaledValue().toString();
        int exp = u.length() - 1 - b.scale();
        u = (u + "0".repeat(prec + 1)).substring(0, prec + 1);
        String m = prec == 0 ? u : u.charAt(0) + "." + u.substring(1);
        return m + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
