package eplua.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REPL's decisions without an engine: complete, incomplete or wrong; expression or statement. */
class ReplLogicTest {
    private static LuaSyntax.Status status(String code) {
        return LuaSyntax.check(code, "=stdin").status;
    }

    @Test
    void unfinishedInputIsIncomplete() {
        for (String s : new String[] {"for i=1,3 do", "print(1", "x =", "local t = {", "if x then", "x = [[abc",
                "--[[ comment", "function f()\n return 1", "t = {a", "x = 1 +"})
            assertEquals(LuaSyntax.Status.INCOMPLETE, status(s), s);
    }

    @Test
    void wrongInputIsAnError() {
        for (String s : new String[] {"print(1 2)", "x y", "end", "for = 1", "x = = 1", "x = 'abc"})
            assertEquals(LuaSyntax.Status.ERROR, status(s), s);
        assertEquals(LuaSyntax.Status.COMPLETE, status("for i=1,3 do\nprint(i)\nend"));
    }

    private static List<String> feed(String input, StringBuilder errors) throws Exception {
        List<String> ran = new ArrayList<>();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new Repl(new BufferedReader(new StringReader(input)), null, new PrintStream(err, true, StandardCharsets.UTF_8),
                (code, chunk) -> ran.add(code)).run();
        errors.append(err.toString(StandardCharsets.UTF_8));
        return ran;
    }

    @Test
    void linesBecomeChunks() throws Exception {
        StringBuilder errors = new StringBuilder();
        List<String> ran = feed("for i=1,3 do\nprint(i)\nend\n\nx = 1\n", errors);
        assertEquals(List.of("for i=1,3 do\nprint(i)\nend", "x = 1"), ran);
        assertEquals("", errors.toString());
    }

    @Test
    void expressionsArePrinted() throws Exception {
        StringBuilder errors = new StringBuilder();
        List<String> ran = feed("=1+1\n1+1;\nf()\n", errors);
        assertEquals(3, ran.size());
        for (String code : ran) assertTrue(code.contains("print(...)"), code);
        assertTrue(ran.get(0).endsWith("(1+1\n)"), ran.get(0));
        assertTrue(ran.get(1).endsWith("(1+1\n)"), ran.get(1));
    }

    @Test
    void syntaxErrorsAreShownNotRun() throws Exception {
        StringBuilder errors = new StringBuilder();
        List<String> ran = feed("x = = 1\n=for\nprint(2)\n", errors);
        assertEquals(1, ran.size());
        assertTrue(errors.toString().contains("stdin:1: unexpected symbol near '='"), errors.toString());
        assertTrue(errors.toString().contains("stdin:1: unexpected symbol near 'for'"), errors.toString());
    }

    @Test
    void messagesAreTidied() {
        assertEquals("x.lua:3: unexpected symbol near <eof>",
                Messages.tidy("[string \"x.lua\"]:3: unexpected symbol 286 (\u011e)", "x.lua"));
        assertEquals("a: unexpected symbol near '='", Messages.tidy("a: unexpected symbol 61 (=)", null));
    }
}
