using System.Security.Cryptography;
using Resolver.Protocol;
using Resolver.Protocol.Text;

namespace Resolver.Core.Dnssec;

/// <summary>RFC 5155 §5: IH(salt, x, 0) = H(x | salt), IH(salt, x, k) = H(IH(salt, x, k-1) | salt), H = SHA-1.</summary>
public static class Nsec3Hash
{
    public const byte Sha1 = 1;

    /// <summary>RFC 9276 §3.2: more iterations than this make a zone insecure (what current resolvers do).</summary>
    public const int MaxIterations = 100;

    public static byte[] Compute(DnsName name, ReadOnlySpan<byte> salt, int iterations)
    {
        var lower = name.ToLowerInvariant().Wire;
        var input = new byte[Math.Max(lower.Length, SHA1.HashSizeInBytes) + salt.Length];
        lower.CopyTo(input);
        salt.CopyTo(input.AsSpan(lower.Length));
        var digest = SHA1.HashData(input.AsSpan(0, lower.Length + salt.Length));
        for (int i = 0; i < iterations; i++)
        {
            digest.CopyTo(input, 0);
            salt.CopyTo(input.AsSpan(digest.Length));
            digest = SHA1.HashData(input.AsSpan(0, digest.Length + salt.Length));
        }
        return digest;
    }

    /// <summary>The hash in an NSEC3 owner's first label (base32hex, RFC 4648 §7), or null if it is not one.</summary>
    public static byte[]? FromOwner(DnsName owner)
    {
        if (owner.LabelCount < 1)
            return null;
        var label = System.Text.Encoding.ASCII.GetString(owner.GetLabel(0));
        return Base32HexText.TryDecode(label.ToUpperInvariant(), out var hash) && hash.Length > 0 ? hash : null;
    }
}
