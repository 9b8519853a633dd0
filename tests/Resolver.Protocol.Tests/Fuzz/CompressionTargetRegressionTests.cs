namespace Resolver.Protocol.Tests.Fuzz;

/// <summary>
/// Found by <see cref="MutatedCaptureTests"/> (seed 20240601): a name whose last two labels are
/// equal ("a.a.") was compressed against itself. The writer compared the suffix "a." with the
/// label it had just written and then read the not-yet-written octet after it; when that stale
/// octet was 0 it emitted a pointer to the name's own start, a loop no reader accepts.
/// </summary>
public class CompressionTargetRegressionTests
{
    [TestCase("a.a.")]
    [TestCase("test.test.")]
    [TestCase("x.www.www.")]
    public void Name_ending_in_two_equal_labels_is_not_compressed_against_itself(string text)
    {
        var message = DnsMessage.CreateQuery(1, DnsName.Parse(text), RecordType.A);
        var buffer = new byte[512]; // zero-filled: the stale octet that used to complete a false match

        Assert.That(message.TryWrite(buffer, out int written), Is.True);

        var parsed = DnsMessage.Parse(buffer.AsSpan(0, written));
        Assert.That(parsed.Question!.Name.ToString(), Is.EqualTo(text), Convert.ToHexString(buffer, 0, written));
    }

    [Test]
    public void Pooled_buffer_left_over_from_a_previous_answer_does_not_leak_into_compression()
    {
        // The first write leaves "www." (03 www 00) at offset 12; the second writes "www.www."
        // there, and its suffix "www." matches at 12 only if the writer reads the stale root
        // octet at 16 that it has not written yet.
        var buffer = new byte[512];
        buffer.AsSpan().Fill(0xEE);
        DnsMessage.CreateQuery(1, DnsName.Parse("www."), RecordType.A).TryWrite(buffer, out _);
        var second = DnsMessage.CreateQuery(2, DnsName.Parse("www.www."), RecordType.A);

        Assert.That(second.TryWrite(buffer, out int written), Is.True);

        Assert.That(DnsMessage.Parse(buffer.AsSpan(0, written)).Question!.Name.ToString(), Is.EqualTo("www.www."));
    }
}
