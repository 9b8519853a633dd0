using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Client;

/// <summary>
/// What to ask one upstream server: one question plus the header and EDNS bits of the query.
/// The message ID is not part of it: every attempt draws a fresh random one.
/// </summary>
public sealed record UpstreamQuery(DnsName Name, RecordType Type, RecordClass Class = RecordClass.IN)
{
    public bool RecursionDesired { get; init; } = true;

    /// <summary>CD bit (RFC 4035 §3.2.2): ask the upstream not to validate.</summary>
    public bool CheckingDisabled { get; init; }

    /// <summary>DO bit in OPT (RFC 3225); ignored when no OPT is sent.</summary>
    public bool DnssecOk { get; init; }

    /// <summary>Send an OPT record advertising <see cref="ExchangeOptions.UdpPayloadSize"/> (RFC 6891).</summary>
    public bool UseEdns { get; init; } = true;

    /// <summary>Skip UDP and ask over TCP straight away.</summary>
    public bool ForceTcp { get; init; }

    /// <summary>Options to put in the OPT record (cookie, client subnet, padding ...).</summary>
    public IReadOnlyList<EdnsOption>? EdnsOptions { get; init; }

    private DnsQuestion? _question;

    /// <summary>
    /// The question as an object, made once per query and shared with every answer that repeats
    /// it exactly (see DnsMessage.Parse(bytes, asked)). Made again if a copy made with
    /// <c>with</c> changed the name, type or class.
    /// </summary>
    internal DnsQuestion Question
    {
        get
        {
            var question = _question;
            if (question is null || !ReferenceEquals(question.Name, Name) || question.Type != Type || question.Class != Class)
                _question = question = new DnsQuestion(Name, Type, Class);
            return question;
        }
    }

    // Written out so the cached question above does not take part: two queries are equal when
    // what they ask is. A new property must be added here too.
    public bool Equals(UpstreamQuery? other) =>
        other is not null
        && Name.Equals(other.Name) && Type == other.Type && Class == other.Class
        && RecursionDesired == other.RecursionDesired && CheckingDisabled == other.CheckingDisabled
        && DnssecOk == other.DnssecOk && UseEdns == other.UseEdns && ForceTcp == other.ForceTcp
        && ReferenceEquals(EdnsOptions, other.EdnsOptions);

    public override int GetHashCode() =>
        HashCode.Combine(Name, Type, Class, RecursionDesired, CheckingDisabled, DnssecOk, UseEdns, HashCode.Combine(ForceTcp, EdnsOptions));
}
