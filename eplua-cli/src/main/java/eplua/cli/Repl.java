package eplua.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The read-eval-print loop of {@code eplua -i}. A line that reads as an expression has its values printed
 * ({@code 1+1} prints 2, as does Lua 5.3's REPL; {@code =expr} forces an expression as in Lua 5.1/5.2); a statement
 * that is not finished yet ({@code for i=1,3 do}) continues on the next line with the {@code >>} prompt.
 */
final class Repl {
    /** Runs one complete chunk; failures are the evaluator's to report, the REPL goes on regardless. */
    interface Evaluator {
        void run(String code, String chunkName);
    }

    static final String CHUNK = "stdin";
    private static final String SYNTAX_CHUNK = "=" + CHUNK; // syntax messages then say "stdin:1:"
    // prints the values of the expression, if any; on one line so error positions stay right
    private static final String SHOW = "return (function(...) if select('#', ...) > 0 then print(...) end end)(";

    private final BufferedReader in;
    private final PrintStream prompts;
    private final PrintStream err;
    private final Evaluator evaluator;

    /** @param prompts where "> " and ">> " go, or null for none (stdin is not a terminal) */
    Repl(BufferedReader in, PrintStream prompts, PrintStream err, Evaluator evaluator) {
        this.in = in;
        this.prompts = prompts;
        this.err = err;
        this.evaluator = evaluator;
    }

    /** Reads and runs lines until end of input. */
    void run() throws IOException {
        StringBuilder pending = new StringBuilder();
        boolean exprOnly = false;
        while (true) {
            prompt(pending.length() == 0 ? "> " : ">> ");
            String line = in.readLine();
            if (line == null) {
                if (prompts != null) prompts.println(); // end the prompt line after Ctrl-D, as lua does
                break;
            }
            if (pending.length() == 0) {
                if (line.isBlank()) continue;
                exprOnly = line.startsWith("=");
                if (exprOnly) line = line.substring(1);
            } else {
                pending.append('\n');
            }
            pending.append(line);
            String code = pending.toString();
            Step step = step(code, exprOnly);
            if (step.incomplete) continue;
            pending.setLength(0);
            if (step.error != null) err.println(Messages.tidy(step.error, CHUNK));
            else evaluator.run(step.code, CHUNK);
        }
        if (pending.length() > 0) {
            // input ended inside a statement: say so, as lua does
            err.println(Messages.tidy(LuaSyntax.parse((exprOnly ? "return " : "") + pending, SYNTAX_CHUNK), CHUNK));
        }
    }

    /** What to do with the text typed so far: run {@code code}, wait for more lines, or show a syntax error. */
    static final class Step {
        final String code;
        final boolean incomplete;
        final String error;

        private Step(String code, boolean incomplete, String error) {
            this.code = code;
            this.incomplete = incomplete;
            this.error = error;
        }
    }

    static Step step(String code, boolean exprOnly) {
        String expr = SHOW + stripSemicolons(code) + "\n)";
        LuaSyntax.Result e = LuaSyntax.check(expr, SYNTAX_CHUNK);
        if (e.status == LuaSyntax.Status.COMPLETE) return new Step(expr, false, null);
        if (exprOnly) {
            if (e.status == LuaSyntax.Status.INCOMPLETE) return new Step(null, true, null);
            // report the error against the expression itself, not against our wrapper
            LuaSyntax.Result r = LuaSyntax.check("return " + code, SYNTAX_CHUNK);
            return new Step(null, false, r.message != null ? r.message : e.message);
        }
        LuaSyntax.Result s = LuaSyntax.check(code, SYNTAX_CHUNK);
        switch (s.status) {
            case COMPLETE:
                return new Step(code, false, null);
            case INCOMPLETE:
                return new Step(null, true, null);
            default:
                return new Step(null, false, s.message);
        }
    }

    private static String stripSemicolons(String code) {
        int end = code.length();
        while (end > 0 && (code.charAt(end - 1) == ';' || Character.isWhitespace(code.charAt(end - 1)))) end--;
        return code.substring(0, end);
    }

    private void prompt(String p) {
        if (prompts != null) {
            prompts.print(p);
            prompts.flush();
        }
    }
}
