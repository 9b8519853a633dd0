namespace Resolver.NameService.Tests;

/// <summary>How getaddrinfo reads a service string as a number: C's strtoul into glibc's int.</summary>
public class ServiceNumberTests
{
    private static readonly GetAddrInfo Gai = new(TestData.Sources());

    private static AddrInfoResult Resolve(string service, AddrInfoFlags flags = AddrInfoFlags.None) =>
        Gai.Resolve("127.0.0.1", service, new AddrInfoHints(flags, SockType: SockType.Stream));

    [TestCase("80", 80)]
    [TestCase(" 80", 80)]
    [TestCase("+80", 80)]
    [TestCase("65536", 0)]
    [TestCase("65617", 81)]
    [TestCase("4294967296", 0)]
    public void Numbers_are_read_like_strtoul_and_keep_their_low_16_bits(string service, int port)
    {
        Assert.That(Resolve(service, AddrInfoFlags.NumericServ).Entries.Single().EndPoint.Port, Is.EqualTo(port));
    }

    [TestCase("-1")]
    [TestCase("2147483648")]
    [TestCase("99999999999999999999999")]
    public void A_number_that_is_negative_as_an_int_is_looked_up_by_name_even_with_numericserv(string service)
    {
        Assert.That(Resolve(service, AddrInfoFlags.NumericServ).Error, Is.EqualTo(AddrInfoError.Service));
    }

    [Test]
    public void Trailing_text_makes_a_name_which_numericserv_refuses()
    {
        Assert.That(Resolve("80 ", AddrInfoFlags.NumericServ).Error, Is.EqualTo(AddrInfoError.NoName));
        Assert.That(Resolve("8o").Error, Is.EqualTo(AddrInfoError.Service));
    }
}
