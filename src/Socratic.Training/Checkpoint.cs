// Training checkpoints: config, optimizer step, and every trainable tensor with its AdamW moments, so
// Trainer.Resume continues bit-for-bit. Written at optimizer-step boundaries only (no half-accumulated
// gradients). Format (little-endian): "SOCRCKPT", i32 version, string config JSON, i32 steps, i32 count,
// then per tensor: string name, i32 dims, i64 ne[dims], i32 n, f32 data[n], f32 m[n], f32 v[n].
using System.Text.Json;
using Socratic.Training.Model;

namespace Socratic.Training;

public static class Checkpoint
{
    const string Magic = "SOCRCKPT";
    const int Version = 1;

    public static void Save(Trainer trainer, string path)
    {
        if (trainer.MicroSteps != 0) throw new InvalidOperationException("checkpoint between optimizer steps: finish the accumulation first");
        string tmp = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp)))
        {
            w.Write(Magic.ToCharArray());
            w.Write(Version);
            w.Write(JsonSerializer.Serialize(trainer.Config));
            w.Write(trainer.Optimizer.Steps);
            w.Write(trainer.TrainableParams.Count);
            foreach (var p in trainer.TrainableParams)
            {
                w.Write(p.Name);
                w.Write(p.Ne.Length);
                foreach (var d in p.Ne) w.Write(d);
                w.Write(p.Data.Length);
                var hasState = trainer.Optimizer.State.TryGetValue(p.Name, out var s);
                WriteFloats(w, p.Data);
                WriteFloats(w, hasState ? s.M : new float[p.Data.Length]);
                WriteFloats(w, hasState ? s.V : new float[p.Data.Length]);
            }
        }
        File.Move(tmp, path, overwrite: true);
    }

    public static Trainer Load(string path, LlamaModel baseModel)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        if (new string(r.ReadChars(Magic.Length)) != Magic) throw new InvalidDataException($"{path}: not a Socratic checkpoint");
        int version = r.ReadInt32();
        if (version != Version) throw new InvalidDataException($"{path}: checkpoint version {version} is not supported");
        var config = JsonSerializer.Deserialize<TrainerConfig>(r.ReadString()) ?? throw new InvalidDataException($"{path}: no config");
        var reference = config.Mode == TrainingMode.Full ? baseModel.CloneBase() : null; // reference = weights before training
        var trainer = new Trainer(baseModel, config);
        if (reference is not null) trainer.SetReference(reference);
        trainer.Optimizer.Steps = r.ReadInt32();
        var byName = trainer.TrainableParams.ToDictionary(p => p.Name, StringComparer.Ordinal);
        int count = r.ReadInt32();
        if (count != byName.Count) throw new InvalidDataException($"{path}: {count} tensors, trainer has {byName.Count}");
        for (int i = 0; i < count; i++)
        {
            string name = r.ReadString();
            var ne = new long[r.ReadInt32()];
            for (int d = 0; d < ne.Length; d++) ne[d] = r.ReadInt64();
            int n = r.ReadInt32();
            if (!byName.TryGetValue(name, out var p) || p.Data.Length != n || !p.Ne.SequenceEqual(ne))
                throw new InvalidDataException($"{path}: tensor '{name}' does not fit the model");
            ReadFloats(r, p.Data);
            var m = new float[n];
            var v = new float[n];
            ReadFloats(r, m);
            ReadFloats(r, v);
            trainer.Optimizer.State[name] = (m, v);
        }
        return trainer;
    }

    static void WriteFloats(BinaryWriter w, float[] a) => w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));

    static void ReadFloats(BinaryReader r, float[] a)
    {
        r.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
    }
}
