package config

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/joho/godotenv"
)

// LoadDotEnv adds the variables of the .env file at path to the process
// environment. Variables that are already set, even to an empty value, keep
// their value, so the real environment always wins. A missing file is not
// an error: production images have none.
//
// Call it before [Load] with [os.LookupEnv]. It changes the process
// environment, which libraries that read it themselves (the Inngest SDK)
// then see as well.
func LoadDotEnv(path string) error {
	err := godotenv.Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load %s: %w", path, err)
	}
	return nil
}
