using Resolver.Server.Options;

namespace Resolver.Server.Tests.Options;

public class ResolverOptionsValidatorTests
{
    private static ResolverOptions Valid() => new() { Listen = ["127.0.0.1:5353"], Upstreams = ["127.0.0.1:5300"] };

    [Test]
    public void Shipped_shape_of_settings_is_valid()
    {
        var result = new ResolverOptionsValidator().Validate(null, Valid());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Bad_listen_address_is_named_by_its_setting_path_and_index()
    {
        ResolverOptions options = Valid();
        options.Listen = ["127.0.0.1:5353", "127.0.0.1:99999"];

        var result = new ResolverOptionsValidator().Validate(null, options);

        Assert.That(result.Failures, Is.EqualTo(new[]
        {
            "Resolver:Listen[1]: '127.0.0.1:99999' is not ADDR:PORT (port must be 1-65535, or 0 for any free port)",
        }));
    }

    [Test]
    public void Empty_listen_list_says_how_to_give_one()
    {
        ResolverOptions options = Valid();
        options.Listen = [];

        var result = new ResolverOptionsValidator().Validate(null, options);

        Assert.That(result.FailureMessage, Does.StartWith("Resolver:Listen: no address to listen on"));
    }

    [Test]
    public void Bad_upstream_is_named_by_its_setting_path()
    {
        ResolverOptions options = Valid();
        options.Upstreams = ["dns.quad9.net"];

        var result = new ResolverOptionsValidator().Validate(null, options);

        Assert.That(result.FailureMessage, Does.StartWith("Resolver:Upstreams[0]: upstream 'dns.quad9.net': 'dns.quad9.net' is not an IPv4 or IPv6 address"));
    }

    [Test]
    public void Numbers_out_of_range_are_named_with_their_range()
    {
        ResolverOptions options = Valid();
        options.Tcp.IdleTimeoutMs = 0;
        options.Udp.ReceiveLoopsPerAddress = 0;
        options.Udp.BatchSize = 65;
        options.Udp.ReceiveBufferBytes = -1;
        options.Udp.BusyPollMicroseconds = 1001;
        options.Nice = -21;

        var result = new ResolverOptionsValidator().Validate(null, options);

        Assert.That(result.Failures, Is.EquivalentTo(new[]
        {
            "Resolver:Udp:ReceiveLoopsPerAddress: 0 is out of range (must be 1-1024)",
            "Resolver:Udp:BatchSize: 65 is out of range (must be 1-64)",
            "Resolver:Udp:ReceiveBufferBytes: -1 is out of range (must be 0-268435456)",
            "Resolver:Udp:BusyPollMicroseconds: 1001 is out of range (must be 0-1000)",
            "Resolver:Nice: -21 is out of range (must be -20-19)",
            "Resolver:Tcp:IdleTimeoutMs: 0 is out of range (must be 1-3600000)",
        }));
    }

    [Test]
    public void Same_listen_address_twice_is_refused()
    {
        ResolverOptions options = Valid();
        options.Listen = ["127.0.0.1:5353", "127.0.0.1:5353"];

        var result = new ResolverOptionsValidator().Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("Resolver:Listen[1]: '127.0.0.1:5353' is listed twice"));
    }
}
