// A named F32 tensor with an optional gradient buffer: the unit the optimizer, checkpoints and writers see.
// Data is flat in ggml order (Ne[0] fastest), so a weight with Ne = [n_in, n_out] is n_out rows of n_in.
namespace Socratic.Training.Model;

public sealed class Param
{
    public string Name { get; }
    public long[] Ne { get; }
    public float[] Data { get; }
    /// <summary>Accumulated gradient; null while the tensor is frozen.</summary>
    public float[]? Grad { get; private set; }
    public bool Trainable => Grad is not null;

    public Param(string name, long[] ne, float[] data)
    {
        long n = 1;
        foreach (var d in ne) n *= d;
        if (n != data.Length) throw new ArgumentException($"{name}: {data.Length} values for ne [{string.Join(", ", ne)}]");
        Name = name; Ne = ne; Data = data;
    }

    public int Rows => Ne.Length > 1 ? (int)(Data.Length / Ne[0]) : 1;
    public int Cols => (int)Ne[0];

    public void SetTrainable(bool trainable) => Grad = trainable ? (Grad ?? new float[Data.Length]) : null;
    public void ZeroGrad()
    {
        if (Grad is not null) Array.Clear(Grad);
    }
}
