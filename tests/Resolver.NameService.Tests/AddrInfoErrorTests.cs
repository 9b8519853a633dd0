namespace Resolver.NameService.Tests;

public class AddrInfoErrorTests
{
    [TestCase(AddrInfoError.BadFlags, -1, "Bad value for ai_flags")]
    [TestCase(AddrInfoError.NoName, -2, "Name or service not known")]
    [TestCase(AddrInfoError.Again, -3, "Temporary failure in name resolution")]
    [TestCase(AddrInfoError.Fail, -4, "Non-recoverable failure in name resolution")]
    [TestCase(AddrInfoError.NoData, -5, "No address associated with hostname")]
    [TestCase(AddrInfoError.Family, -6, "ai_family not supported")]
    [TestCase(AddrInfoError.SockType, -7, "ai_socktype not supported")]
    [TestCase(AddrInfoError.Service, -8, "Servname not supported for ai_socktype")]
    [TestCase(AddrInfoError.AddrFamily, -9, "Address family for hostname not supported")]
    [TestCase(AddrInfoError.Memory, -10, "Memory allocation failure")]
    [TestCase(AddrInfoError.System, -11, "System error")]
    [TestCase(AddrInfoError.Overflow, -12, "Result too large for supplied buffer")]
    public void Error_codes_have_glibc_values_and_messages(AddrInfoError error, int value, string message)
    {
        Assert.That((int)error, Is.EqualTo(value));
        Assert.That(AddrInfoErrorText.GaiStrError(value), Is.EqualTo(message));
        Assert.That(AddrInfoErrorText.GaiStrError(error), Is.EqualTo(message));
    }

    [TestCase(0)]
    [TestCase(-13)]
    [TestCase(42)]
    public void Unknown_codes_read_unknown_error(int code) =>
        Assert.That(AddrInfoErrorText.GaiStrError(code), Is.EqualTo("Unknown error"));

    [Test]
    public void Flag_and_constant_values_match_linux()
    {
        Assert.That(new[] { (int)AddrInfoFlags.Passive, (int)AddrInfoFlags.CanonName, (int)AddrInfoFlags.NumericHost,
            (int)AddrInfoFlags.V4Mapped, (int)AddrInfoFlags.All, (int)AddrInfoFlags.AddrConfig, (int)AddrInfoFlags.NumericServ },
            Is.EqualTo(new[] { 1, 2, 4, 8, 0x10, 0x20, 0x400 }));
        Assert.That(new[] { (int)NameInfoFlags.NumericHost, (int)NameInfoFlags.NumericServ, (int)NameInfoFlags.NoFqdn,
            (int)NameInfoFlags.NameReqd, (int)NameInfoFlags.Dgram }, Is.EqualTo(new[] { 1, 2, 4, 8, 16 }));
        Assert.That(new[] { (int)SockType.Stream, (int)SockType.Dgram, (int)SockType.Raw, (int)IpProtocol.Tcp, (int)IpProtocol.Udp,
            (int)AddrFamily.Unspec, (int)AddrFamily.Inet, (int)AddrFamily.Inet6 }, Is.EqualTo(new[] { 1, 2, 3, 6, 17, 0, 2, 10 }));
    }
}
