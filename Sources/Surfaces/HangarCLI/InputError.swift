/// SQL input that could not be read, such as a missing `-f` file.
struct InputError: Error {
    let message: String
}
