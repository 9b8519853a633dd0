namespace Resolver.Protocol.Tests.Fuzz;

/// <summary>
/// Deterministic damage to a real message: bit flips, overwritten, inserted and deleted
/// octets, compression pointers aimed anywhere, rewritten counts and lengths, cuts and
/// spliced copies. Driven by one seeded <see cref="Random"/> so a failure is reproducible.
/// </summary>
public sealed class CaptureMutator(int seed)
{
    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>One to four mutations applied to a copy of <paramref name="original"/>.</summary>
    public byte[] Mutate(byte[] original)
    {
        var bytes = new List<byte>(original);
        int mutations = 1 + _random.Next(4);
        for (int i = 0; i < mutations; i++)
            MutateOnce(bytes);
        return [.. bytes];
    }

    private void MutateOnce(List<byte> bytes)
    {
        if (bytes.Count == 0)
        {
            bytes.Add((byte)_random.Next(256));
            return;
        }
        int at = _random.Next(bytes.Count);
        switch (_random.Next(9))
        {
            case 0: // flip one bit
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1: // overwrite with any octet
                bytes[at] = (byte)_random.Next(256);
                break;
            case 2: // overwrite with an octet that matters to names: 0, a label type, 63, 64
                bytes[at] = InterestingOctets[_random.Next(InterestingOctets.Length)];
                break;
            case 3:
                bytes.Insert(at, (byte)_random.Next(256));
                break;
            case 4:
                bytes.RemoveAt(at);
                break;
            case 5: // a compression pointer to anywhere near the message (RFC 1035 §4.1.4)
                int target = _random.Next(bytes.Count + 16);
                bytes[at] = (byte)(0xC0 | (target >> 8));
                if (at + 1 < bytes.Count)
                    bytes[at + 1] = (byte)target;
                break;
            case 6: // a header count or a 16-bit length-like field nudged up or down
                int field = _random.Next(2) == 0 ? 4 + 2 * _random.Next(4) : at;
                Nudge(bytes, field);
                break;
            case 7: // cut
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            default: // splice: repeat a slice of the message (a record repeated, a name doubled)
                int length = Math.Min(1 + _random.Next(32), bytes.Count - at);
                var slice = bytes.GetRange(at, length);
                bytes.InsertRange(_random.Next(bytes.Count + 1), slice);
                break;
        }
    }

    private void Nudge(List<byte> bytes, int field)
    {
        if (field + 1 >= bytes.Count)
            return;
        int value = (bytes[field] << 8) | bytes[field + 1];
        value = _random.Next(3) switch
        {
            0 => value + 1,
            1 => value - 1,
            _ => _random.Next(2) == 0 ? 0xFFFF : 0,
        };
        bytes[field] = (byte)(value >> 8);
        bytes[field + 1] = (byte)value;
    }

    private static readonly byte[] InterestingOctets = [0x00, 0x01, 0x3F, 0x40, 0x80, 0xC0, 0xFF, 0x29];
}
