using System.Net;
using Resolver.Protocol;
using Resolver.Server.Commands;

namespace Resolver.Server.Tests.Commands;

public class QueryArgumentsTests
{
    [Test]
    public void Dig_style_arguments_are_understood_in_any_order()
    {
        var query = QueryArguments.Parse(["+tcp", "example.com", "@[::1]:5353", "MX", "+dnssec", "+norec"]);
        Assert.That(query.Name.ToString(), Is.EqualTo("example.com."));
        Assert.That(query.Type, Is.EqualTo(RecordType.MX));
        Assert.That(query.ServerEndPoint(), Is.EqualTo(new IPEndPoint(IPAddress.IPv6Loopback, 5353)));
        Assert.That(query.Tcp && query.Dnssec && query.Edns && !query.Recursion, Is.True);
    }

    [Test]
    public void Defaults_are_type_A_class_IN_port_53_with_recursion_and_edns()
    {
        var query = QueryArguments.Parse(["example.com.", "@127.0.0.1"]);
        Assert.That((query.Type, query.Class, query.Port, query.Recursion, query.Edns), Is.EqualTo((RecordType.A, RecordClass.IN, 53, true, true)));
    }

    [TestCase("+bogus", "unknown option '+bogus'")]
    [TestCase("@127.0.0.1:99999", "'99999' is not a port")]
    public void Bad_arguments_are_named_in_the_error(string bad, string message) =>
        Assert.That(() => QueryArguments.Parse(["example.com", bad]), Throws.TypeOf<FormatException>().With.Message.EqualTo(message));

    [Test]
    public async Task Usage_error_exits_1_like_dig_and_prints_usage()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await new QueryCommand().RunAsync([], output, error, CancellationToken.None);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("usage: resolver query NAME"));
    }
}
