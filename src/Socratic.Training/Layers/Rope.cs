// Rotary position embedding as llama.cpp does it. "Normal" mode (llama): within each head the leading RotDims
// values rotate as adjacent pairs (2i, 2i+1) by angle pos * base^(-2i/RotDims); this pairing is right in GGUF
// weight space because convert_hf_to_gguf permutes llama's q/k rows for it. NEOX mode (qwen2, qwen3, whose rows
// are not permuted): pairs (i, i + RotDims/2), same angles.
namespace Socratic.Training.Layers;

public static class Rope
{
    /// <summary>cos/sin tables [T, RotDims/2] for positions start..start+T-1.</summary>
    public static (float[] Cos, float[] Sin) Tables(int t, int rotDims, float ropeBase, int start = 0)
    {
        int half = rotDims / 2;
        var cos = new float[t * half];
        var sin = new float[t * half];
        for (int p = 0; p < t; p++)
            for (int i = 0; i < half; i++)
            {
                double theta = (start + p) * Math.Pow(ropeBase, -2.0 * i / rotDims);
                cos[p * half + i] = (float)Math.Cos(theta);
                sin[p * half + i] = (float)Math.Sin(theta);
            }
        return (cos, sin);
    }

    /// <summary>In place on x [T, heads*headDim]. <paramref name="inverse"/> rotates by -theta, which is the
    /// backward pass (a rotation's Jacobian transpose is its inverse). <paramref name="neox"/>: pairs (i, i + half).</summary>
    public static void Apply(float[] x, int t, int heads, int headDim, int rotDims, float[] cos, float[] sin, bool inverse, bool neox = false)
    {
        int half = rotDims / 2;
        // element indices of pair i: (stride·i, stride·i + offset)
        int stride = neox ? 1 : 2, offset = neox ? half : 1;
        int width = heads * headDim;
        for (int p = 0; p < t; p++)
            for (int h = 0; h < heads; h++)
            {
                int b = p * width + h * headDim;
                for (int i = 0; i < half; i++)
                {
                    float c = cos[p * half + i], s = inverse ? -sin[p * half + i] : sin[p * half + i];
                    int i0 = b + stride * i, i1 = i0 + offset;
                    float x0 = x[i0], x1 = x[i1];
                    x[i0] = x0 * c - x1 * s;
                    x[i1] = x0 * s + x1 * c;
                }
            }
    }
}
