// Builds task sources from their definitions; unknown kinds fail loudly.
namespace Socratic.Core.Tasks;

public sealed class TaskSourceFactory : ITaskSourceFactory
{
    public ITaskSource Create(TaskSourceDefinition definition) => definition switch
    {
        ArithmeticTaskSource a => new ArithmeticTaskGenerator(a),
        ListTaskSource l => new ListTaskSourceImpl(l),
        WordProblemTaskSource w => new WordProblemGenerator(w),
        StringTransformTaskSource s => new StringTransformGenerator(s),
        PythonFunctionTaskSource p => new PythonFunctionTaskGenerator(p),
        null => throw new ArgumentNullException(nameof(definition)),
        _ => throw new NotSupportedException($"No task source for {definition.GetType().Name}."),
    };
}
