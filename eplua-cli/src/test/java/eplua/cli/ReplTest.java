package eplua.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code eplua -i} with stdin from a pipe: multi-line statements, expressions printed, errors do not end it. */
class ReplTest {
    @Test
    void multiLineStatementsAndExpressions() {
        Child c = Child.eplua("for i=1,3 do\nprint(i)\nend\n=1+1\n1+1\nx = 10\nx * 2\nprint(\n'a',\n'b')\n", "-i");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("1", "2", "3", "2", "2", "20", "a\tb"), c.lines(), c.toString());
    }

    @Test
    void errorsAreReportedAndTheReplGoesOn() {
        Child c = Child.eplua("error('oops')\nprint(1 2)\nprint('alive')\nlocal t = {\n", "-i");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("alive"), c.lines(), c.toString());
        assertTrue(c.err.contains("stdin:1: oops"), c.err);
        assertTrue(c.err.contains("stdin:1: ')' expected"), c.err);
        // input ended inside a table constructor: said so, as lua does
        assertTrue(c.err.contains("unexpected symbol near <eof>"), c.err);
    }

    @Test
    void timersStartedInTheReplRunAndTheProcessWaitsForThem() {
        Child c = Child.eplua("local id = setTimeout(function() print('timer') end, 100)\nprint('typed')\n", "-i");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("typed", "timer"), c.lines());
    }

    @Test
    void theReplRunsAfterTheScriptAndSeesItsGlobals() {
        Child c = Child.eplua("=answer\n", "-e", "answer = 42", "-i");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("42"), c.lines());
    }
}
