using Resolver.Protocol.Tests.Captures;

namespace Resolver.Protocol.Tests.Fuzz;

/// <summary>What the codec did with one input: rejected it cleanly, accepted it, or misbehaved.</summary>
public enum CodecVerdict
{
    Rejected,
    Accepted,
    Misbehaved,
}

/// <summary>
/// Runs one arbitrary input through everything that reads untrusted bytes and checks the
/// contract: the only exception that escapes is <see cref="DnsFormatException"/>; whatever
/// parses re-encodes and parses back to the same fields; the query reader accepts whatever the
/// full parser accepts and agrees with it.
/// </summary>
public static class CodecOracle
{
    public static CodecVerdict Check(byte[] input, List<string> problems)
    {
        var readerVerdict = CheckQueryReader(input, out var info, out byte[] name, problems);
        DnsMessage parsed;
        try
        {
            parsed = DnsMessage.Parse(input);
        }
        catch (DnsFormatException)
        {
            return readerVerdict == CodecVerdict.Misbehaved ? CodecVerdict.Misbehaved : CodecVerdict.Rejected;
        }
        catch (Exception error)
        {
            return Fail(problems, "Parse threw " + error.GetType().Name + ": " + error.Message, input);
        }

        if (readerVerdict != CodecVerdict.Accepted)
            return Fail(problems, "QueryReader rejected what Parse accepted", input);
        if (!AgreesWithQueryReader(parsed, info, name))
            return Fail(problems, "QueryReader disagrees with Parse", input);
        return CheckReencoding(parsed, input, problems);
    }

    private static CodecVerdict CheckQueryReader(byte[] input, out QueryInfo info, out byte[] name, List<string> problems)
    {
        var buffer = new byte[255];
        info = default;
        name = [];
        try
        {
            info = QueryReader.Read(input, buffer);
            name = buffer[..info.NameLength];
            return CodecVerdict.Accepted;
        }
        catch (DnsFormatException)
        {
            return CodecVerdict.Rejected;
        }
        catch (Exception error)
        {
            return Fail(problems, "QueryReader threw " + error.GetType().Name + ": " + error.Message, input);
        }
    }

    private static bool AgreesWithQueryReader(DnsMessage parsed, QueryInfo info, byte[] name)
    {
        if (info.Header.Id != parsed.Id || info.Edns.Present != (parsed.Edns is not null))
            return false;
        if (parsed.Edns is { } edns && (info.Edns.UdpPayloadSize != edns.UdpPayloadSize || info.Edns.DnssecOk != edns.DnssecOk || info.Edns.Version != edns.Version))
            return false;
        if (parsed.Question is not { } question)
            return info.NameLength == 0;
        return question.Name.Wire.SequenceEqual(name) && info.Type == question.Type && info.Class == question.Class;
    }

    private static CodecVerdict CheckReencoding(DnsMessage parsed, byte[] input, List<string> problems)
    {
        byte[] reencoded;
        try
        {
            reencoded = parsed.ToArray();
        }
        catch (InvalidOperationException error) when (error.Message.Contains("65535", StringComparison.Ordinal))
        {
            return CodecVerdict.Accepted; // legitimately too big once decompressed; nothing to compare
        }
        catch (Exception error)
        {
            return Fail(problems, "ToArray threw " + error.GetType().Name + ": " + error.Message, input);
        }

        try
        {
            var reparsed = DnsMessage.Parse(reencoded);
            if (!CapturedMessageText.Describe(reparsed).SequenceEqual(CapturedMessageText.Describe(parsed)))
                return Fail(problems, "re-encoding changed the message: " + Convert.ToHexString(reencoded), input);
        }
        catch (Exception error)
        {
            return Fail(problems, "re-encoded message does not parse (" + error.Message + "): " + Convert.ToHexString(reencoded), input);
        }
        return CodecVerdict.Accepted;
    }

    private static CodecVerdict Fail(List<string> problems, string problem, byte[] input)
    {
        if (problems.Count < 20)
            problems.Add(problem + " | input " + Convert.ToHexString(input));
        return CodecVerdict.Misbehaved;
    }
}
