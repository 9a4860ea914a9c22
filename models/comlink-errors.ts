// Comlink sends a thrown Error as { name, message, stack }: an InputError would arrive without its
// problems. This handler carries them across, so a caller on the far side of a worker sees the
// same InputError (and the CLI the same `error: <path>: …` lines) as one calling in-process.
import { transferHandlers, type TransferHandler } from 'comlink';
import { InputError, type Problem } from './errors.ts';

interface SerializedThrow { isError: boolean; value: unknown }

const original = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, SerializedThrow>;

if (!(original as { carriesInputErrors?: boolean }).carriesInputErrors) {
  const handler: TransferHandler<{ value: unknown }, SerializedThrow> & { carriesInputErrors: boolean } = {
    carriesInputErrors: true,
    canHandle: original.canHandle,
    serialize(thrown) {
      if (thrown.value instanceof InputError) {
        return [{ isError: true, value: { name: 'InputError', problems: thrown.value.problems } }, []];
      }
      return original.serialize(thrown);
    },
    deserialize(serialized) {
      const value = serialized.value as { name?: string; problems?: Problem[] };
      if (serialized.isError && value?.name === 'InputError' && Array.isArray(value.problems)) {
        throw new InputError(value.problems);
      }
      return original.deserialize(serialized);
    },
  };
  transferHandlers.set('throw', handler);
}
