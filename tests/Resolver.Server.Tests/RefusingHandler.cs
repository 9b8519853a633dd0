using Resolver.Core.Pipeline;

using Resolver.Protocol;

namespace Resolver.Server.Tests;

/// <summary>
/// A test handler for the transport's tests: answers every query REFUSED with the query's header (RFC 1035 §4.1.1:
/// QR=1, same ID, opcode and RD; RCODE 5) and no sections, synchronously, as a cache hit answers. It was the host's
/// fallback handler, which the host never used (the query pipeline is always registered first).
/// </summary>
internal sealed class RefusingHandler : IQueryHandler
{
    private const int HeaderLength = DnsHeader.Size;
    private const byte Refused = 5;

    public ValueTask<int> HandleAsync(ReadOnlyMemory<byte> query, Memory<byte> response, QueryContext context, CancellationToken cancellationToken)
    {
        if (query.Length < HeaderLength)
        {
            return new ValueTask<int>(0);
        }

        ReadOnlySpan<byte> q = query.Span;
        Span<byte> r = response.Span;
        r[0] = q[0];
        r[1] = q[1];

        // Byte 2: QR | Opcode(4) | AA | TC | RD. Keep opcode and RD, set QR.
        r[2] = (byte)(0x80 | (q[2] & 0x79));

        // Byte 3: RA | Z | AD | CD | RCODE(4). Keep CD (RFC 6840 §5.9), RCODE = REFUSED.
        r[3] = (byte)((q[3] & 0x10) | Refused);
        r.Slice(4, HeaderLength - 4).Clear();
        return new ValueTask<int>(HeaderLength);
    }
}
