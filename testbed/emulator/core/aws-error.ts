// An error the emulator returns the way AWS JSON 1.1 services do: the exception name travels
// in `__type` and `x-amzn-ErrorType`, with a `message` and an HTTP status.
export class AwsError extends Error {
  readonly type: string
  readonly status: number

  constructor(type: string, message: string, status = 400) {
    super(message)
    this.type = type
    this.status = status
  }
}

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message)
}
