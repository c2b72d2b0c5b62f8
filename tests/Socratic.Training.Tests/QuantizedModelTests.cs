// End-to-end check of the dequantizers on a real file: stories260K rewritten with Q8_0, F16 and BF16 tensors
// (our Q8_0 quantizer follows ggml's reference one) must give llama.cpp's logits. llama.cpp also rounds the
// activations (to Q8_0 for Q8_0 weights, BF16 for BF16), so the tolerance is looser than the F32 parity:
// max |Δlogit| ≤ 3e-2 · logit scale (observed ~9e-3). A misread block layout scrambles weights and misses this by orders of magnitude.
using Socratic.Training.Gguf;
using Socratic.Training.Model;

namespace Socratic.Training.Tests;

public class QuantizedModelTests
{
    [Fact]
    public void Model_with_Q8_0_F16_and_BF16_tensors_matches_llama_cpp()
    {
        var src = GgufFile.Read(TestModels.Stories);
        var tensors = new List<GgufTensorData>();
        var used = new HashSet<GgmlType>();
        foreach (var t in src.Tensors)
        {
            var f = src.ReadF32(t.Name);
            GgufTensorData data;
            if (t.Ne.Length == 1) data = GgufTensorData.F32(t.Name, t.Ne, f);
            else if (t.Name.Contains("ffn_gate") || t.Name.Contains("ffn_up")) data = GgufTensorData.F16(t.Name, t.Ne, f);
            else if (t.Ne[0] % 32 == 0) data = new GgufTensorData(t.Name, t.Ne, GgmlType.Q8_0, Quants.QuantizeQ8_0(f));
            else data = BF16(t.Name, t.Ne, f); // ffn_down rows are 172 wide: not whole Q8_0 blocks
            used.Add(data.Type);
            tensors.Add(data);
        }
        Assert.Equal(4, used.Count);
        string path = TestModels.TempPath("mixed.gguf");
        GgufWriter.Write(path, src.Metadata.Where(kv => kv.Key != "general.file_type"), tensors);

        var tokens = LlamaCpp.Tokenize(path, "Once upon a time, there was a little dog named Max.");
        var expected = LlamaCpp.Logits(path, tokens);
        var actual = LlamaModel.Load(path).Logits(tokens);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        double diff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(diff <= 3e-2 * scale, $"max |Δlogit| {diff:g4} at scale {scale:g4}");
    }

    static GgufTensorData BF16(string name, long[] ne, float[] v)
    {
        var bytes = new byte[v.Length * 2];
        for (int i = 0; i < v.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), Quants.FloatToBF16(v[i]));
        return new GgufTensorData(name, ne, GgmlType.BF16, bytes);
    }
}
