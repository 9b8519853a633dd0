using System.Globalization;
using System.Text;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>
/// SVCB and HTTPS (RFC 9460 §2.2): SvcPriority (0 = AliasMode), TargetName (never compressed)
/// and SvcParams in strictly increasing key order, printed as dig does:
/// <c>1 . alpn="h3,h2" ipv4hint=192.0.2.1</c>.
/// </summary>
public sealed class SvcbRecordData : DnsRecordData
{
    public SvcbRecordData(RecordType type, ushort priority, DnsName target, IReadOnlyList<SvcParam> parameters)
    {
        if (type is not (RecordType.SVCB or RecordType.HTTPS))
            throw new ArgumentException("type must be SVCB or HTTPS", nameof(type));
        for (int i = 1; i < parameters.Count; i++)
        {
            if (parameters[i].Key <= parameters[i - 1].Key)
                throw new ArgumentException("SvcParams must be in strictly increasing key order", nameof(parameters));
        }
        Type = type;
        Priority = priority;
        Target = target;
        Parameters = parameters;
    }

    public RecordType Type { get; }

    public ushort Priority { get; }

    public bool IsAliasMode => Priority == 0;

    public DnsName Target { get; }

    public IReadOnlyList<SvcParam> Parameters { get; }

    public SvcParam? Find(SvcParamKey key)
    {
        foreach (var parameter in Parameters)
        {
            if (parameter.Key == key)
                return parameter;
        }
        return null;
    }

    public static SvcbRecordData Read(RecordType type, ref DnsReader reader)
    {
        ushort priority = reader.ReadUInt16();
        // RFC 9460 §2.2: TargetName is uncompressed.
        var target = reader.ReadUncompressedName();
        var parameters = new List<SvcParam>();
        int previous = -1;
        while (reader.Remaining > 0)
        {
            int at = reader.Position;
            var key = (SvcParamKey)reader.ReadUInt16();
            int length = reader.ReadUInt16();
            // RFC 9460 §2.2: keys strictly increasing; duplicates and disorder are malformed.
            if ((int)key <= previous)
                throw new DnsFormatException($"SvcParam {SvcParamText.KeyToText(key)} out of order or repeated", at);
            var value = reader.ReadBytes(length, "SvcParam value");
            string? problem = SvcParam.FindProblem(key, value);
            if (problem is not null)
                throw new DnsFormatException(problem, at);
            parameters.Add(new SvcParam(key, value));
            previous = (int)key;
        }
        return new SvcbRecordData(type, priority, target, parameters);
    }

    internal static SvcbRecordData ParseText(RdataTokenReader tokens)
    {
        ushort priority = tokens.ReadUInt16("priority");
        var target = tokens.ReadName("target name");
        var parameters = new List<SvcParam>();
        while (!tokens.AtEnd)
            parameters.Add(SvcParamText.Parse(tokens));
        parameters.Sort((a, b) => a.Key.CompareTo(b.Key));
        string? problem = SvcParamText.FindSetProblem(parameters);
        if (problem is not null)
            throw tokens.Error(problem);
        return new SvcbRecordData(tokens.Type, priority, target, parameters);
    }

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteUInt16(Priority);
        writer.WriteName(Target, compress: false);
        foreach (var parameter in Parameters)
        {
            writer.WriteUInt16((ushort)parameter.Key);
            writer.WriteUInt16((ushort)parameter.Value.Length);
            writer.WriteBytes(parameter.Value);
        }
    }

    public override string ToText()
    {
        var builder = new StringBuilder();
        builder.Append(Priority.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Target.ToString());
        foreach (var parameter in Parameters)
        {
            builder.Append(' ');
            SvcParamText.Append(builder, parameter);
        }
        return builder.ToString();
    }
}
