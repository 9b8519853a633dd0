using System.Net;
using System.Text;

namespace Resolver.NameService.Tests.Getent;

/// <summary>getent's line formats and exit statuses, over the test hosts file and a scripted DNS.</summary>
public class GetentPrinterTests
{
    private static GetentPrinter Printer(FakeDns? dns = null) => new(TestData.Sources(dns ?? new FakeDns()));

    [Test]
    public void Ahosts_prints_three_socket_types_per_address_with_the_canonical_name_on_the_first_line()
    {
        GetentOutput output = Printer().Print(GetentDatabase.AHostsV4, ["www.example.com"]);
        Assert.That(output.Text, Is.EqualTo(
            "192.0.2.10      STREAM www.example.com\n" +
            "192.0.2.10      DGRAM  \n" +
            "192.0.2.10      RAW    \n" +
            "192.0.2.11      STREAM \n" +
            "192.0.2.11      DGRAM  \n" +
            "192.0.2.11      RAW    \n"));
        Assert.That(output.ExitCode, Is.EqualTo(GetentOutput.Found));
    }

    [Test]
    public void Ahostsv6_maps_ipv4_only_names()
    {
        GetentOutput output = Printer().Print(GetentDatabase.AHostsV6, ["box"]);
        Assert.That(output.Text, Does.StartWith("::ffff:127.0.1.1 STREAM box.example.com\n"));
    }

    [Test]
    public void Any_key_not_found_makes_the_status_2_but_the_others_are_still_printed()
    {
        GetentOutput output = Printer().Print(GetentDatabase.Hosts, ["nosuch", "localhost"]);
        Assert.That(output.ExitCode, Is.EqualTo(GetentOutput.NotFound));
        Assert.That(output.Text, Is.EqualTo("::1             localhost ip6-localhost ip6-loopback\n"),
            "hosts asks IPv6 first and prints the whole IPv6 line");
    }

    [Test]
    public void Hosts_with_an_address_key_prints_the_hosts_line_of_that_address()
    {
        Assert.That(Printer().Print(GetentDatabase.Hosts, ["127.0.1.1"]).Text, Is.EqualTo("127.0.1.1       box.example.com box\n"));
    }

    [Test]
    public void Hosts_reads_digits_and_dots_as_an_inet_aton_address_named_as_given()
    {
        var dns = new FakeDns();
        GetentOutput output = Printer(dns).Print(GetentDatabase.Hosts, ["1.2.3", "10.1"]);
        Assert.That(output.Text, Is.EqualTo("1.2.0.3         1.2.3\n10.0.0.1        10.1\n"));
        Assert.That(dns.Asked, Is.Empty, "a literal never reaches DNS");
    }

    [Test]
    public void Hosts_from_dns_prints_cname_owners_as_aliases()
    {
        var dns = new FakeDns().Set("web.example.com.", DnsQueryType.A,
            new DnsHostAnswer(DnsLookupOutcome.Success, [IPAddress.Parse("198.51.100.9")], "cdn.example.net") { Aliases = ["web.example.com"] });
        Assert.That(Printer(dns).Print(GetentDatabase.Hosts, ["web"]).Text, Is.EqualTo("198.51.100.9    cdn.example.net web.example.com\n"));
    }

    [Test]
    public void No_keys_enumerates_the_hosts_file_line_by_line()
    {
        string text = Printer().Print(GetentDatabase.Hosts, []).Text;
        Assert.That(text.Split('\n')[0], Is.EqualTo("127.0.0.1       localhost"));
        Assert.That(text.Split('\n'), Has.Length.EqualTo(8), "7 lines and the final newline");
    }

    [Test]
    public void A_scoped_address_is_written_with_its_numeric_scope_and_a_narrower_field()
    {
        var sb = new StringBuilder();
        var scoped = IPAddress.Parse("fe80::1");
        scoped.ScopeId = 1;
        GetentPrinter.AppendAddrInfo(sb, [
            new AddrInfo(AddrFamily.Inet6, SockType.Stream, IpProtocol.Tcp, new IPEndPoint(scoped, 0), "fe80::1%lo"),
            new AddrInfo(AddrFamily.Inet, SockType.SeqPacket, IpProtocol.Sctp, new IPEndPoint(IPAddress.Loopback, 0), null),
            new AddrInfo(AddrFamily.Inet, (SockType)9, IpProtocol.Any, new IPEndPoint(IPAddress.Loopback, 0), null),
        ]);
        Assert.That(sb.ToString(), Is.EqualTo(
            "fe80::1%1     STREAM fe80::1%lo\n" +
            "127.0.0.1       SEQPACKET \n" +
            "127.0.0.1       9      \n"));
    }

    [Test]
    public void Database_names_are_getents()
    {
        Assert.That(GetentPrinter.TryParseDatabase("ahostsv6", out GetentDatabase db), Is.True);
        Assert.That(db, Is.EqualTo(GetentDatabase.AHostsV6));
        Assert.That(GetentPrinter.TryParseDatabase("passwd", out _), Is.False);
    }

    [Test]
    public void Nameinfo_prints_host_and_service_on_one_line()
    {
        GetentPrinter printer = Printer();
        Assert.That(printer.PrintNameInfo("127.0.1.1", "22").Text, Is.EqualTo("box.example.com ssh\n"));
        Assert.That(printer.PrintNameInfo("127.0.1.1", "http", NameInfoFlags.NumericHost | NameInfoFlags.NumericServ).Text, Is.EqualTo("127.0.1.1 80\n"));
        Assert.That(printer.PrintNameInfo("127.0.1.1", "514", NameInfoFlags.Dgram).Text, Is.EqualTo("box.example.com syslog\n"));
        Assert.That(printer.PrintNameInfo("127.0.0.1").Text, Is.EqualTo("localhost\n"), "no port: the host alone");
    }

    [Test]
    public void Nameinfo_failures_go_to_standard_error_with_status_2()
    {
        var dns = new FakeDns();
        GetentPrinter printer = Printer(dns);
        Assert.That(printer.PrintNameInfo("not-an-address"), Is.EqualTo(new GetentOutput("", 2, "not-an-address: Name or service not known\n")));
        Assert.That(printer.PrintNameInfo("127.0.0.1", "nosuchservice"), Is.EqualTo(new GetentOutput("", 2, "nosuchservice: Servname not supported for ai_socktype\n")));
        Assert.That(printer.PrintNameInfo("192.0.2.99", "80", NameInfoFlags.NameReqd).Error, Is.EqualTo("192.0.2.99: Name or service not known\n"));
        Assert.That(dns.Asked, Is.EqualTo(new[] { "PTR 192.0.2.99" }));
    }
}
