package eplua.net.udp;

import eplua.net.common.Peers;
import eplua.net.common.WithLua;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import static eplua.net.common.Peers.OUTCOME;
import static eplua.net.common.Peers.assertWord;

/**
 * UDP failures read with the shared words, in both styles. UDP has no connection: nothing is refused or reset (an
 * unconnected socket never hears the ICMP answer), so a name that does not resolve and a receive that waits in vain
 * are its failures.
 */
class UdpFailureWords extends WithLua {
    @Test
    void dnsFailureReadsResolve() throws Exception {
        Varargs r = lua.run(OUTCOME + String.join("\n",
                "local s = create_udp_socket()",
                "local _, sendErr = s:send_to_async('x', '" + Peers.UNRESOLVABLE + "', 9)",
                "local _, bindErr = create_udp_socket():bind('" + Peers.UNRESOLVABLE + "', 0)",
                "local u = net.UDPSocket()",
                "local cbErr = outcome(function(cb) u:sendTo('x', '" + Peers.UNRESOLVABLE + "', 9, cb) end)",
                "s:close(); u:close()",
                "return sendErr, bindErr, cbErr"));
        for (int i = 1; i <= 3; i++) assertWord("resolve", r.arg(i).optjstring(null));
    }

    @Test
    void receiveWithNothingSentReadsTimeout() throws Exception {
        Varargs r = lua.run(OUTCOME + String.join("\n",
                "local s = create_udp_socket(); s:settimeout(0.1)",
                "assert(s:bind('127.0.0.1', 0))",
                "local _, err = s:receive_async(); s:close()",
                "local u = net.UDPSocket({timeout = 100})",
                "assert(u:bind('127.0.0.1', 0))",
                "local err2 = outcome(function(cb) u:receive(cb) end); u:close()",
                "return err, err2"));
        assertWord("timeout", r.arg(1).optjstring(null));
        assertWord("timeout", r.arg(2).optjstring(null));
    }
}
