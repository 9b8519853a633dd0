using Resolver.Protocol;

namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>
/// How the fake upstream treats queries for one name. Defaults answer at once from the zone.
/// The "first" faults are sent over UDP before the real answer, on every query for the name.
/// </summary>
public sealed record NameBehaviour
{
    /// <summary>The first N queries for the name (any transport) get no reply at all.</summary>
    public int DropFirst { get; init; }

    /// <summary>Pause before the first packet of every reply.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>UDP gets an empty TC=1 reply; TCP gets the full answer.</summary>
    public bool TruncateOverUdp { get; init; }

    /// <summary>Every reply, over UDP and over TCP alike, is an empty TC=1 reply (a server that never gives the answer).</summary>
    public bool TruncateAlways { get; init; }

    /// <summary>A reply with another ID (and a wrong address) comes first.</summary>
    public bool WrongIdFirst { get; init; }

    /// <summary>A reply with the right ID (and a wrong address) comes first from another port.</summary>
    public bool FromOtherPortFirst { get; init; }

    /// <summary>A few octets that are no DNS message come first.</summary>
    public bool GarbageFirst { get; init; }

    /// <summary>A reply with the right ID answering another name comes first.</summary>
    public bool WrongQuestionFirst { get; init; }

    /// <summary>Every reply is this RCODE with no data (SERVFAIL, REFUSED ...).</summary>
    public DnsResponseCode? Rcode { get; init; }

    /// <summary>Only the "first" faults are sent, never the real answer (a name whose answer never comes).</summary>
    public bool FaultsOnly { get; init; }

    /// <summary>A query with OPT gets FORMERR without OPT (a server that does not speak EDNS); plain queries are answered.</summary>
    public bool FormErrOnEdns { get; init; }
}
